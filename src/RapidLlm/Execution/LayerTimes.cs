using RapidLlm.Common;

namespace RapidLlm.Execution;

/// <summary>A backend's wall times of one transformer layer's per-rank graphs (the slowest rank is the layer's time).</summary>
/// <param name="ForwardSeconds">Slowest rank of the forward graph.</param>
/// <param name="BackwardSeconds">Slowest rank of the backward graph; 0 for inference.</param>
/// <param name="ForwardPerRankSeconds">Each rank's forward wall time.</param>
/// <param name="BackwardPerRankSeconds">Each rank's backward wall time; empty for inference.</param>
internal sealed record LayerTimes(
    double ForwardSeconds,
    double BackwardSeconds,
    EquatableArray<double> ForwardPerRankSeconds,
    EquatableArray<double> BackwardPerRankSeconds);
