using RapidLlm.Memory;

namespace RapidLlm.Reports;

/// <summary>
/// The reference's memory texts for a <see cref="MemoryCapacityReport"/>: the warning printed when the peak does not fit
/// and the <c>memory_capacity_comparison.txt</c> file, character for character.
/// </summary>
internal static class MemoryCapacityText
{
    /// <summary>The warning printed when the peak does not fit; null when it fits.</summary>
    /// <param name="report">The peak against the capacity.</param>
    /// <returns>The warning line, or null.</returns>
    public static string? Warning(MemoryCapacityReport report) => report.HeadroomGib is < 0 and var h
        ? $"[WARN] Peak memory exceeds capacity by {PythonNumberFormat.Fixed(Math.Abs(h), 2)} GiB. Please change parallelism settings for realistic results."
        : null;

    /// <summary>The <c>memory_capacity_comparison.txt</c> content (with its final newline); null when the capacity is unknown.</summary>
    /// <param name="report">The peak against the capacity.</param>
    /// <returns>The text.</returns>
    public static string? ComparisonText(MemoryCapacityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.CapacityGib is not { } capacity)
        {
            return null;
        }

        var delta = capacity - report.PeakGib;
        var lines = new List<string>();
        if (report.Mode == MemoryMode.Training)
        {
            lines.Add("Simulation mode: training");
            lines.Add($"Hardware memory capacity (per gpu): {F2(capacity)} GiB");
            lines.Add($"Simulated peak memory usage(per gpu): {F2(report.PeakGib)} GiB");
            if (report.Zero3EphemeralPeakBytes > 0)
            {
                lines.Add($"ZeRO-3 ephemeral param gather (per gpu): {F2(report.Zero3EphemeralPeakBytes / DeviceMemory.BytesPerGib)} GiB");
            }
        }
        else
        {
            lines.Add("Simulation mode: inference");
            lines.Add($"Hardware memory capacity (per gpu): {F2(capacity)} GiB");
            lines.Add($"Prefill peak memory usage (per gpu): {F2(report.PrefillPeakGib)} GiB");
            lines.Add($"Final decode peak memory usage (per gpu): {F2(report.DecodePeakGib)} GiB");
            lines.Add($"Max peak memory usage (per gpu): {F2(report.PeakGib)} GiB");
        }

        lines.Add(delta < 0
            ? $"[WARN] Peak memory exceeds capacity by {F2(Math.Abs(delta))} GiB"
            : $"Remaining memory headroom: {F2(delta)} GiB");
        return string.Join("\n", lines) + "\n";
    }

    private static string F2(double value) => PythonNumberFormat.Fixed(value, 2);
}
