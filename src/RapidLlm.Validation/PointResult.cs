namespace RapidLlm.Validation;

/// <summary>The outcome of one validation point.</summary>
/// <param name="Point">The point.</param>
/// <param name="Predicted">Our prediction in the metric's unit; null when the point was skipped or failed.</param>
/// <param name="Problem">Why there is no prediction (skip reason or error message); null on success.</param>
public sealed record PointResult(ValidationPoint Point, double? Predicted, string? Problem)
{
    /// <summary>True when the configuration had to be moved from AstraSim to the analytical backend.</summary>
    public bool ForcedAnalytical { get; init; }

    /// <summary>Signed percent error (NaN without a prediction).</summary>
    public double SignedErrorPercent => Predicted is { } p ? ErrorStatistics.SignedPercent(p, Point.Measured) : double.NaN;

    /// <summary>Absolute percent error (NaN without a prediction).</summary>
    public double AbsErrorPercent => Math.Abs(SignedErrorPercent);
}
