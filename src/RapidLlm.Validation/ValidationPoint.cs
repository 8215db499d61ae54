using System.Collections.Immutable;
using RapidLlm.Configuration;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>
/// One measured data point and how to predict it: a base hardware and model YAML file, the overlays a data row
/// applies to them, and the metric to compare.
/// </summary>
/// <param name="Label">Short text naming the point in reports.</param>
/// <param name="HardwareFile">Path of the base hardware YAML.</param>
/// <param name="ModelFile">Path of the base model YAML.</param>
/// <param name="HardwareOverlay">YAML merged into the hardware file (see <see cref="YamlOverlay"/>); may be empty.</param>
/// <param name="ModelOverlay">YAML merged into the model file; may be empty.</param>
/// <param name="Metric">The compared quantity.</param>
/// <param name="Measured">The measurement, in the metric's unit.</param>
public sealed record ValidationPoint(
    string Label,
    string HardwareFile,
    string ModelFile,
    string HardwareOverlay,
    string ModelOverlay,
    ValidationMetric Metric,
    double Measured)
{
    /// <summary>Other tools' predictions of the same measurement.</summary>
    public EquatableArray<ToolPrediction> OtherTools { get; init; } = EquatableArray<ToolPrediction>.Empty;

    /// <summary>Grouping keys (for example <c>model</c>, <c>tp</c>) used for per-group error summaries.</summary>
    public ImmutableSortedDictionary<string, string> Tags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>When set, the point is reported but not predicted, for this reason.</summary>
    public string? SkipReason { get; init; }

    /// <summary>
    /// When set, the measurement looks like an artefact, for this reason. The point is predicted and counts in the suite's
    /// error like any other; reports also give the error without flagged points.
    /// </summary>
    public string? FlagReason { get; init; }
}
