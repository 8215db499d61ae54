using RapidLlm.Common;

namespace RapidLlm.Interactive;

/// <summary>One setting of an <see cref="EstimateSeries"/> and what was estimated at it.</summary>
/// <param name="Setting">The setting as it is shown on the chart's axis and in the table ("2", "tp 2 pp 4").</param>
/// <param name="Seconds">One duration per <see cref="EstimateSeries.TimeMetrics"/> entry, in seconds, in the same order.</param>
/// <param name="PeakMemoryBytes">Peak memory per GPU in bytes; null when memory was not estimated.</param>
/// <param name="CapacityBytes">Memory capacity per GPU in bytes; null when unknown.</param>
public sealed record EstimateSeriesPoint(string Setting, EquatableArray<double> Seconds, double? PeakMemoryBytes, double? CapacityBytes)
{
    /// <summary>False when the peak is known and exceeds a known capacity.</summary>
    public bool Fits => !(PeakMemoryBytes > CapacityBytes);

    /// <summary>Capacity minus peak, in bytes; null when either is unknown.</summary>
    public double? HeadroomBytes => CapacityBytes - PeakMemoryBytes;
}
