using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>The outcome of one suite: every point, the error summary and other tools' errors side by side.</summary>
/// <param name="Suite">The suite.</param>
/// <param name="Points">Per-point outcomes, in suite order.</param>
public sealed record SuiteResult(ValidationSuite Suite, EquatableArray<PointResult> Points)
{
    /// <summary>Our error summary over the predicted points.</summary>
    public ErrorStatistics Errors => ErrorStatistics.From(Points.Select(p => p.SignedErrorPercent));

    /// <summary>Our error summary over the predicted points that are not flagged as suspected artefacts.</summary>
    public ErrorStatistics ErrorsWithoutFlagged => ErrorStatistics.From(Points.Where(p => p.Point.FlagReason is null).Select(p => p.SignedErrorPercent));

    /// <summary>Points flagged as suspected measurement artefacts (<see cref="ValidationPoint.FlagReason"/>).</summary>
    public IEnumerable<PointResult> Flagged => Points.Where(p => p.Point.FlagReason is not null);

    /// <summary>Points that have no prediction (skipped or failed).</summary>
    public IEnumerable<PointResult> Missing => Points.Where(p => p.Predicted is null);

    /// <summary>True when any point had to be moved from AstraSim to the analytical backend.</summary>
    public bool AnyForcedAnalytical => Points.Any(p => p.ForcedAnalytical);

    /// <summary>Each other tool's errors next to ours on the points it covers, tools in first-seen order.</summary>
    public IReadOnlyList<ToolComparison> ToolComparisons()
    {
        var tools = Points.SelectMany(p => p.Point.OtherTools.Select(t => t.Tool)).Distinct(StringComparer.Ordinal);
        return tools.Select(tool =>
        {
            var covered = Points.Where(p => p.Predicted is not null && p.Point.OtherTools.Any(t => t.Tool == tool)).ToList();
            var theirs = covered.Select(p => p.Point.OtherTools.First(t => t.Tool == tool).SignedErrorPercent(p.Point.Measured));
            return new ToolComparison(tool, ErrorStatistics.From(theirs), ErrorStatistics.From(covered.Select(p => p.SignedErrorPercent)));
        }).ToList();
    }

    /// <summary>Our error summary per value of the tag <paramref name="tag"/> (for example per model or per TP degree).</summary>
    /// <param name="tag">The tag name.</param>
    /// <returns>Pairs of tag value and summary, in first-seen order; points without the tag are left out.</returns>
    public IReadOnlyList<KeyValuePair<string, ErrorStatistics>> ErrorsBy(string tag) =>
        Points.Where(p => p.Point.Tags.ContainsKey(tag))
            .GroupBy(p => p.Point.Tags[tag], StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, ErrorStatistics>(g.Key, ErrorStatistics.From(g.Select(p => p.SignedErrorPercent))))
            .ToList();
}
