using RapidLlm.Reports;

namespace RapidLlm.Memory;

/// <summary>
/// Peak versus capacity for one run: training has one simulation, inference two (prefill and the
/// final decode step; the peak is the larger). Produces the reference's
/// <c>memory_capacity_comparison.txt</c> text and warning.
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

    /// <summary>Per-device capacity in bytes; null when unknown (for <see cref="Results.Quantity.Bytes"/>).</summary>
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

    /// <summary>The warning printed when the peak does not fit; null when it fits.</summary>
    public string? Warning => HeadroomGib is < 0 and var h
        ? $"[WARN] Peak memory exceeds capacity by {PythonNumberFormat.Fixed(Math.Abs(h), 2)} GiB. Please change parallelism settings for realistic results."
        : null;

    /// <summary>The <c>memory_capacity_comparison.txt</c> content (with its final newline); null when the capacity is unknown.</summary>
    /// <returns>The text.</returns>
    public string? ComparisonText()
    {
        if (CapacityGib is not { } capacity)
        {
            return null;
        }

        var delta = capacity - PeakGib;
        var lines = new List<string>();
        if (Mode == MemoryMode.Training)
        {
            lines.Add("Simulation mode: training");
            lines.Add($"Hardware memory capacity (per gpu): {F2(capacity)} GiB");
            lines.Add($"Simulated peak memory usage(per gpu): {F2(PeakGib)} GiB");
            if (Zero3EphemeralPeakBytes > 0)
            {
                lines.Add($"ZeRO-3 ephemeral param gather (per gpu): {F2(Zero3EphemeralPeakBytes / DeviceMemory.BytesPerGib)} GiB");
            }
        }
        else
        {
            lines.Add("Simulation mode: inference");
            lines.Add($"Hardware memory capacity (per gpu): {F2(capacity)} GiB");
            lines.Add($"Prefill peak memory usage (per gpu): {F2(PrefillPeakGib)} GiB");
            lines.Add($"Final decode peak memory usage (per gpu): {F2(DecodePeakGib)} GiB");
            lines.Add($"Max peak memory usage (per gpu): {F2(PeakGib)} GiB");
        }

        lines.Add(delta < 0
            ? $"[WARN] Peak memory exceeds capacity by {F2(Math.Abs(delta))} GiB"
            : $"Remaining memory headroom: {F2(delta)} GiB");
        return string.Join("\n", lines) + "\n";
    }

    private static string F2(double value) => PythonNumberFormat.Fixed(value, 2);
}
