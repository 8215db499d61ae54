namespace RapidLlm.Memory;

/// <summary>
/// Peak versus capacity for one run: training has one simulation, inference two (prefill and the
/// final decode step; the peak is the larger).
/// </summary>
public sealed record MemoryCapacityReport
{
    /// <summary>Training or inference.</summary>
    public required MemoryMode Mode { get; init; }

    /// <summary>Per-device capacity in GiB; null when unknown.</summary>
    public double? CapacityGib { get; init; }

    /// <summary>Training peak, or the larger of the inference peaks, in GiB.</summary>
    public required double PeakGib { get; init; }

    /// <summary>Inference prefill peak in GiB (0 without a prefill).</summary>
    public double PrefillPeakGib { get; init; }

    /// <summary>Inference final-decode peak in GiB (the prefill peak without decode steps).</summary>
    public double DecodePeakGib { get; init; }

    /// <summary>ZeRO-3 gathered bytes reported in training (0 when ZeRO-3 does not apply).</summary>
    public double Zero3EphemeralPeakBytes { get; init; }

    /// <summary>Capacity minus peak in GiB; null when the capacity is unknown.</summary>
    public double? HeadroomGib => CapacityGib - PeakGib;

    /// <summary>Per-device capacity in bytes; null when unknown (for <see cref="Common.Quantity.Bytes(double)"/>).</summary>
    public double? CapacityBytes => CapacityGib * DeviceMemory.BytesPerGib;

    /// <summary>Training peak, or the larger of the inference peaks, in bytes.</summary>
    public double PeakBytes => PeakGib * DeviceMemory.BytesPerGib;

    /// <summary>Inference prefill peak in bytes (0 without a prefill).</summary>
    public double PrefillPeakBytes => PrefillPeakGib * DeviceMemory.BytesPerGib;

    /// <summary>Inference final-decode peak in bytes.</summary>
    public double DecodePeakBytes => DecodePeakGib * DeviceMemory.BytesPerGib;

    /// <summary>Capacity minus peak in bytes; null when the capacity is unknown.</summary>
    public double? HeadroomBytes => HeadroomGib * DeviceMemory.BytesPerGib;

    /// <summary>False when the peak exceeds a known capacity.</summary>
    public bool Fits => HeadroomGib is not < 0;
}
