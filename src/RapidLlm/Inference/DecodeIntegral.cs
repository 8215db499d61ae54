using RapidLlm.Common;

namespace RapidLlm.Inference;

/// <summary>Decode time and energy integrated over all steps from the sampled ones.</summary>
/// <param name="TimeSeconds">Total decode time.</param>
/// <param name="EnergyJoules">Total decode energy.</param>
/// <param name="Segments">Trapezoids between neighbouring samples, in step order.</param>
/// <param name="Tail">Steps after the last sample, if any.</param>
internal sealed record DecodeIntegral(
    double TimeSeconds,
    double EnergyJoules,
    EquatableArray<IntegrationSegment> Segments,
    IntegrationTail? Tail);
