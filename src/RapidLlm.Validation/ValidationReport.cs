using System.Globalization;
using System.Text;

namespace RapidLlm.Validation;

/// <summary>Renders suite results as a Markdown report or a CSV table (invariant culture, "\n" line ends).</summary>
public static class ValidationReport
{
    private static readonly string[] CsvHeader =
    [
        "suite", "point", "metric", "unit", "measured", "predicted", "signed_error_pct", "abs_error_pct", "forced_analytical", "problem",
        "llmcompass", "llmcompass_error_pct", "vidur", "vidur_error_pct", "genz", "genz_error_pct", "flag",
    ];

    /// <summary>The unit a metric is reported in.</summary>
    /// <param name="metric">The metric.</param>
    public static string Unit(ValidationMetric metric) => metric switch
    {
        ValidationMetric.DecodeTokensPerSecond => "tok/s",
        ValidationMetric.ThroughputRatio => "ratio",
        _ => "s",
    };

    /// <summary>One CSV row per point of every suite, with other tools' predictions in their own columns.</summary>
    /// <param name="results">Suite results.</param>
    public static string Csv(IEnumerable<SuiteResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder(string.Join(',', CsvHeader)).Append('\n');
        foreach (var suite in results)
        {
            foreach (var p in suite.Points)
            {
                var cells = new List<string>
                {
                    suite.Suite.Id, p.Point.Label, p.Point.Metric.ToString(), Unit(p.Point.Metric), Num(p.Point.Measured), Num(p.Predicted),
                    Num(p.SignedErrorPercent), Num(p.AbsErrorPercent), p.ForcedAnalytical ? "true" : "false", p.Problem ?? "",
                };
                foreach (var tool in new[] { "LLMCompass", "Vidur", "GenZ" })
                {
                    var prediction = p.Point.OtherTools.FirstOrDefault(t => t.Tool == tool);
                    cells.Add(Num(prediction?.Predicted));
                    cells.Add(Num(prediction?.SignedErrorPercent(p.Point.Measured)));
                }

                cells.Add(p.Point.FlagReason ?? "");

                text.AppendJoin(',', cells.Select(Quote)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A Markdown report: a summary table over all suites, then per suite its points, groups and other tools.</summary>
    /// <param name="results">Suite results.</param>
    /// <param name="plotFiles">Optional plot image path per suite id, linked under the suite's heading.</param>
    public static string Markdown(IEnumerable<SuiteResult> results, IReadOnlyDictionary<string, string>? plotFiles = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToList();
        var md = new StringBuilder();
        md.Append("| suite | metric | points | mean \\|err\\| | median \\|err\\| | mean signed | max \\|err\\| |\n");
        md.Append("|---|---|---:|---:|---:|---:|---:|\n");
        foreach (var r in list)
        {
            var e = r.Errors;
            var missing = r.Missing.Count();
            var count = missing > 0 ? Inv($"{e.Count} (+{missing} without prediction)") : Inv($"{e.Count}");
            var flagged = r.Flagged.Count(p => p.Predicted is not null);
            var mean = flagged > 0 ? Inv($"{Pct(e.MeanAbsPercent)} ({Pct(r.ErrorsWithoutFlagged.MeanAbsPercent)} without {flagged} flagged)") : Pct(e.MeanAbsPercent);
            md.Append(Inv($"| {r.Suite.Id} | {MetricName(r.Suite.Metric)} | {count} | {mean} | {Pct(e.MedianAbsPercent)} | {SignedPct(e.MeanSignedPercent)} | {Pct(e.MaxAbsPercent)} |\n"));
        }

        foreach (var r in list) AppendSuite(md, r, plotFiles);
        return md.ToString();
    }

    private static void AppendSuite(StringBuilder md, SuiteResult r, IReadOnlyDictionary<string, string>? plotFiles)
    {
        var s = r.Suite;
        var unit = Unit(s.Metric);
        md.Append(Inv($"\n### {s.Title}\n\n`{s.Id}`. Source: {s.Source}.\n"));
        if (s.Notes.Length > 0) md.Append('\n').Append(s.Notes).Append('\n');
        if (plotFiles is not null && plotFiles.TryGetValue(s.Id, out var plot)) md.Append(Inv($"\n![{s.Id}]({plot})\n"));
        var tools = s.Points.SelectMany(p => p.OtherTools.Select(t => t.Tool)).Distinct(StringComparer.Ordinal).ToList();
        md.Append(Inv($"\n| point | measured ({unit}) | predicted ({unit}) | error |"));
        foreach (var tool in tools) md.Append(Inv($" {tool} error |"));
        md.Append("\n|---|---:|---:|---:|").Append(string.Concat(tools.Select(_ => "---:|"))).Append('\n');
        foreach (var p in r.Points)
        {
            var predicted = p.Predicted is { } v ? Value(v) : "— " + p.Problem;
            var flag = p.Point.FlagReason is null ? "" : " (flagged)";
            md.Append(Inv($"| {p.Point.Label}{flag} | {Value(p.Point.Measured)} | {predicted} | {SignedPct(p.SignedErrorPercent)} |"));
            foreach (var tool in tools)
            {
                var t = p.Point.OtherTools.FirstOrDefault(x => x.Tool == tool);
                md.Append(' ').Append(t is null ? "" : SignedPct(t.SignedErrorPercent(p.Point.Measured))).Append(" |");
            }

            md.Append('\n');
        }

        var e = r.Errors;
        md.Append(Inv($"\nMean |error| {Pct(e.MeanAbsPercent)}, median {Pct(e.MedianAbsPercent)}, mean signed {SignedPct(e.MeanSignedPercent)} over {e.Count} points.\n"));
        var flagged = r.Flagged.Where(p => p.Predicted is not null).ToList();
        if (flagged.Count > 0)
        {
            var w = r.ErrorsWithoutFlagged;
            md.Append(Inv($"Without the {flagged.Count} flagged point(s): mean |error| {Pct(w.MeanAbsPercent)}, median {Pct(w.MedianAbsPercent)} over {w.Count} points. Flagged: "))
                .AppendJoin("; ", flagged.Select(p => Inv($"{p.Point.Label}: {p.Point.FlagReason}"))).Append(".\n");
        }
        foreach (var c in r.ToolComparisons())
            md.Append(Inv($"On the {c.Theirs.Count} points {c.Tool} covers: {c.Tool} mean |error| {Pct(c.Theirs.MeanAbsPercent)} (median {Pct(c.Theirs.MedianAbsPercent)}), ours {Pct(c.Ours.MeanAbsPercent)} (median {Pct(c.Ours.MedianAbsPercent)}).\n"));
        foreach (var tag in new[] { "model", "tp", "batch", "concurrency", "case", "variant" })
        {
            var groups = r.ErrorsBy(tag);
            if (groups.Count < 2) continue;
            md.Append(Inv($"Mean |error| by {tag}: "))
                .AppendJoin(", ", groups.Select(g => Inv($"{g.Key} {Pct(g.Value.MeanAbsPercent)}"))).Append(".\n");
        }
    }

    private static string MetricName(ValidationMetric metric) => metric switch
    {
        ValidationMetric.DecodeTokensPerSecond => "decode tok/s",
        ValidationMetric.RequestSeconds => "request s",
        ValidationMetric.TimeToFirstTokenSeconds => "TTFT s",
        ValidationMetric.InterTokenLatencySeconds => "ITL s",
        ValidationMetric.ThroughputRatio => "throughput ratio",
        _ => "step s",
    };

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Pct(double value) => double.IsNaN(value) ? "n/a" : Inv($"{value:0.00} %");

    private static string SignedPct(double value) => double.IsNaN(value) ? "n/a" : Inv($"{value:+0.00;-0.00;0.00} %");

    private static string Value(double value) => value switch
    {
        >= 100 => Inv($"{value:0.0}"),
        >= 1 => Inv($"{value:0.000}"),
        _ => Inv($"{value:0.0000}"),
    };

    private static string Num(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
