using System.Globalization;
using System.Text;
using RapidLlm.Common;
using RapidLlm.Inference;
using RapidLlm.Memory;
using RapidLlm.Results;

namespace RapidLlm.Interactive;

/// <summary>
/// Estimates against one swept setting (tensor parallelism, batch size, HBM bandwidth…): the durations and the peak
/// memory per GPU at each setting. Notebooks show it as a table and two charts (time, and memory against capacity);
/// every other host has <see cref="ToString"/>, <see cref="ToMarkdown"/> and <see cref="ToCsv"/>.
/// </summary>
/// <remarks>
/// Build one with <see cref="Training{TSetting}"/> or <see cref="Inference{TSetting}"/>, which run an estimate per
/// setting, or from points you computed yourself. An invalid setting (say a tensor-parallel degree that does not divide
/// the heads) throws the builder's <c>ConfigurationException</c>: sweep only the values you mean.
/// </remarks>
public sealed record EstimateSeries
{
    private const double BytesPerGib = 1024.0 * 1024.0 * 1024.0;

    /// <summary>A series from points already computed.</summary>
    /// <param name="title">What the series shows, e.g. "Llama-3.1-8B inference on H100".</param>
    /// <param name="settingName">The swept setting, e.g. "tensor parallelism".</param>
    /// <param name="timeMetrics">The names of the durations each point holds, e.g. "time per batch".</param>
    /// <param name="points">The points, in axis order; each holds one duration per time metric.</param>
    /// <exception cref="ArgumentException">A point holds a different number of durations than there are metrics.</exception>
    public EstimateSeries(string title, string settingName, IEnumerable<string> timeMetrics, IEnumerable<EstimateSeriesPoint> points)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(settingName);
        TimeMetrics = new EquatableArray<string>(timeMetrics ?? throw new ArgumentNullException(nameof(timeMetrics)));
        Points = new EquatableArray<EstimateSeriesPoint>(points ?? throw new ArgumentNullException(nameof(points)));
        Title = title;
        SettingName = settingName;
        var bad = Points.FirstOrDefault(p => p.Seconds.Count != TimeMetrics.Count);
        if (bad is not null)
        {
            throw new ArgumentException(
                $"Point '{bad.Setting}' holds {bad.Seconds.Count} duration(s) but the series names {TimeMetrics.Count} time metric(s) ({string.Join(", ", TimeMetrics)}).",
                nameof(points));
        }
    }

    /// <summary>What the series shows.</summary>
    public string Title { get; }

    /// <summary>The swept setting (the x axis).</summary>
    public string SettingName { get; }

    /// <summary>The names of the durations each point holds ("time per batch"; "total time", "time to first token").</summary>
    public EquatableArray<string> TimeMetrics { get; }

    /// <summary>The points, in axis order.</summary>
    public EquatableArray<EstimateSeriesPoint> Points { get; }

    /// <summary>Runs a training estimate per setting: time per batch and peak memory per GPU.</summary>
    /// <typeparam name="TSetting">The swept value's type (an int degree, a batch size, a record…).</typeparam>
    /// <param name="settingName">The swept setting, e.g. "tensor parallelism".</param>
    /// <param name="settings">The values, in axis order; each is shown with its <see cref="object.ToString"/>.</param>
    /// <param name="estimate">Makes the estimate of one value, e.g. <c>tp => simulation.ToBuilder().Parallelism(p => p.Tensor(tp)).Build().EstimateTraining()</c>.</param>
    /// <param name="title">The title; default "Training against {settingName}".</param>
    /// <param name="cancellationToken">Checked before each estimate.</param>
    /// <returns>The series.</returns>
    public static EstimateSeries Training<TSetting>(
        string settingName,
        IEnumerable<TSetting> settings,
        Func<TSetting, TrainingEstimate> estimate,
        string? title = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(estimate);
        var points = new List<EstimateSeriesPoint>();
        foreach (var setting in settings)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var e = estimate(setting);
            points.Add(Point(setting, [e.TimePerBatchSeconds], e.Memory));
        }

        return new EstimateSeries(title ?? $"Training against {settingName}", settingName, ["time per batch"], points);
    }

    /// <summary>Runs an inference estimate per setting: total time, time to first token and peak memory per GPU.</summary>
    /// <typeparam name="TSetting">The swept value's type.</typeparam>
    /// <param name="settingName">The swept setting, e.g. "tensor parallelism".</param>
    /// <param name="settings">The values, in axis order; each is shown with its <see cref="object.ToString"/>.</param>
    /// <param name="estimate">Makes the estimate of one value.</param>
    /// <param name="title">The title; default "Inference against {settingName}".</param>
    /// <param name="cancellationToken">Checked before each estimate.</param>
    /// <returns>The series.</returns>
    public static EstimateSeries Inference<TSetting>(
        string settingName,
        IEnumerable<TSetting> settings,
        Func<TSetting, InferenceEstimate> estimate,
        string? title = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(estimate);
        var points = new List<EstimateSeriesPoint>();
        foreach (var setting in settings)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var e = estimate(setting);
            points.Add(Point(setting, [e.TotalSeconds, e.TimeToFirstTokenSeconds], e.Memory));
        }

        return new EstimateSeries(title ?? $"Inference against {settingName}", settingName, ["total time", "time to first token"], points);
    }

    /// <summary>Aligned plain text: the title, then one row per setting.</summary>
    /// <returns>Text without a final newline.</returns>
    public override string ToString()
    {
        var rows = Rows().ToList();
        var header = Header();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder(Title);
        foreach (var row in rows.Prepend(header))
        {
            text.Append("\n ");
            for (var i = 0; i < row.Length; i++) text.Append(' ').Append(i == 0 ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i])).Append(' ');
        }

        return text.ToString();
    }

    /// <summary>A Markdown table: the setting, each duration, the peak memory per GPU, the capacity and whether it fits.</summary>
    /// <returns>Markdown ending in a newline.</returns>
    public string ToMarkdown()
    {
        var header = Header();
        var text = new StringBuilder();
        text.Append("### ").Append(Title).Append("\n\n| ").AppendJoin(" | ", header).Append(" |\n|")
            .Append("---|").Append(string.Concat(Enumerable.Repeat("---:|", header.Length - 1))).Append('\n');
        foreach (var row in Rows()) text.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        return text.ToString();
    }

    /// <summary>
    /// CSV with a header (<c>setting</c>, one <c>NAME (s)</c> column per time metric, <c>peak memory per GPU (B)</c>,
    /// <c>capacity per GPU (B)</c>), values in SI base units with full precision; empty where unknown.
    /// </summary>
    /// <returns>CSV text ending in a newline.</returns>
    public string ToCsv()
    {
        var text = new StringBuilder();
        var header = new[] { SettingName }.Concat(TimeMetrics.Select(m => m + " (s)")).Concat(["peak memory per GPU (B)", "capacity per GPU (B)"]);
        text.AppendJoin(',', header.Select(Escape)).Append('\n');
        foreach (var p in Points)
        {
            var cells = new[] { Escape(p.Setting) }.Concat(p.Seconds.Select(R)).Concat([Optional(p.PeakMemoryBytes), Optional(p.CapacityBytes)]);
            text.AppendJoin(',', cells).Append('\n');
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public bool Equals(EstimateSeries? other) =>
        other is not null && Title == other.Title && SettingName == other.SettingName && TimeMetrics.Equals(other.TimeMetrics) && Points.Equals(other.Points);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Title, SettingName, TimeMetrics, Points);

    internal string[] Header() =>
        [SettingName, .. TimeMetrics, "peak memory per GPU", "capacity per GPU", "fits"];

    internal IEnumerable<string[]> Rows() => Points.Select(p => (string[])
    [
        p.Setting,
        .. p.Seconds.Select(Quantity.Seconds),
        p.PeakMemoryBytes is { } peak ? Quantity.Bytes(peak) : "–",
        p.CapacityBytes is { } capacity ? Quantity.Bytes(capacity) : "–",
        p.PeakMemoryBytes is null || p.CapacityBytes is null ? "–" : p.Fits ? "yes" : "no",
    ]);

    private static EstimateSeriesPoint Point<TSetting>(TSetting setting, double[] seconds, MemoryEstimate? memory) =>
        new(Convert.ToString(setting, CultureInfo.InvariantCulture) ?? "",
            new EquatableArray<double>(seconds),
            memory?.Report.PeakGib * BytesPerGib,
            memory?.Report.CapacityGib * BytesPerGib);

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Optional(double? value) => value is { } v ? R(v) : "";

    private static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
