namespace RapidLlm.Validation;

/// <summary>The prediction of one measured GPU entry.</summary>
/// <param name="Measurement">The entry.</param>
/// <param name="PredictedSeconds">The model quantity; null when the run failed.</param>
/// <param name="Problem">Why there is no prediction; null on success.</param>
public sealed record GpuPointResult(GpuMeasurement Measurement, double? PredictedSeconds, string? Problem)
{
    /// <summary>Signed percent error (NaN without a prediction).</summary>
    public double SignedErrorPercent => PredictedSeconds is { } p ? ErrorStatistics.SignedPercent(p, Measurement.MeasuredSeconds) : double.NaN;

    /// <summary>Absolute percent error (NaN without a prediction).</summary>
    public double AbsErrorPercent => Math.Abs(SignedErrorPercent);
}
