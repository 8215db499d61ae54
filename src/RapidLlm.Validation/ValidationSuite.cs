using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>A named set of measured points from one source, compared on one metric.</summary>
/// <param name="Id">Stable identifier used in file names and tests (for example <c>koyeb-a100-llama31-8b</c>).</param>
/// <param name="Title">Human-readable title.</param>
/// <param name="Source">Where the measurements come from.</param>
/// <param name="Metric">The compared quantity, shared by every point.</param>
/// <param name="Points">The points, in report order.</param>
public sealed record ValidationSuite(string Id, string Title, string Source, ValidationMetric Metric, EquatableArray<ValidationPoint> Points)
{
    /// <summary>Free text on how rows map to configurations and any deviation from the reference harness.</summary>
    public string Notes { get; init; } = "";

    /// <summary>A copy whose points use <paramref name="hardwareFile"/> as their base hardware description.</summary>
    /// <param name="hardwareFile">Path of the replacement hardware YAML.</param>
    /// <param name="id">The copy's identifier.</param>
    /// <param name="title">The copy's title.</param>
    public ValidationSuite WithHardwareFile(string hardwareFile, string id, string title) => this with
    {
        Id = id,
        Title = title,
        Points = new EquatableArray<ValidationPoint>(Points.Select(p => p with { HardwareFile = hardwareFile })),
    };

    /// <summary>A copy holding only the points <paramref name="keep"/> accepts.</summary>
    /// <param name="keep">The filter.</param>
    public ValidationSuite Where(Func<ValidationPoint, bool> keep) => this with
    {
        Points = new EquatableArray<ValidationPoint>(Points.Where(keep)),
    };
}
