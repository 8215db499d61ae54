using RapidLlm.Validation;
using ScottPlot;

namespace RapidLlm.Samples.Validation;

/// <summary>Draws one suite as predicted and measured values per point (other tools too, when published).</summary>
internal static class SuitePlot
{
    private static readonly Dictionary<string, Color> ToolColors = new(StringComparer.Ordinal)
    {
        ["LLMCompass"] = Color.FromHex("#ff7f0e"),
        ["Vidur"] = Color.FromHex("#9467bd"),
        ["GenZ"] = Color.FromHex("#8c564b"),
    };

    public static void Save(SuiteResult result, string path)
    {
        var plot = new Plot();
        var points = result.Points;
        var xs = Enumerable.Range(0, points.Count).Select(i => (double)i).ToArray();

        // The points are separate configurations, not a series in x: markers only, no joining lines.
        var measured = plot.Add.ScatterPoints(xs, points.Select(p => p.Point.Measured).ToArray());
        measured.LegendText = "Measured";
        measured.Color = Color.FromHex("#2ca02c");
        measured.MarkerShape = MarkerShape.OpenCircle;
        measured.MarkerSize = 10;

        AddSeries(plot, points.Select((p, i) => (i, p.Predicted)), "RapidLlm predicted", Color.FromHex("#1f77b4"), 2);
        foreach (var tool in points.SelectMany(p => p.Point.OtherTools.Select(t => t.Tool)).Distinct())
        {
            var values = points.Select((p, i) => (i, p.Point.OtherTools.FirstOrDefault(t => t.Tool == tool)?.Predicted));
            AddSeries(plot, values, tool, ToolColors.GetValueOrDefault(tool, Colors.Gray), 1);
        }

        var labels = points.Select(p => p.Point.Label).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, labels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        // Room for the longest rotated label below the axis and for the last one past the right edge, so none is cut.
        var longest = labels.Length == 0 ? 0 : labels.Max(l => l.Length);
        plot.Axes.Bottom.MinimumSize = Math.Max(60, longest * 6.5f + 40);
        plot.Axes.Right.MinimumSize = Math.Max(20, longest * 4.6f);
        plot.Axes.Margins(horizontal: 0.04);
        plot.Title(result.Suite.Title);
        plot.YLabel(ValidationReport.Unit(result.Suite.Metric));
        var e = result.Errors;
        plot.XLabel($"mean |error| {e.MeanAbsPercent:0.00} %, median {e.MedianAbsPercent:0.00} % over {e.Count} points");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1200, 650);
    }

    // Points without a value (skipped rows, or rows a tool did not publish) are left out rather than drawn as zero.
    private static void AddSeries(Plot plot, IEnumerable<(int Index, double? Value)> values, string label, Color color, float width)
    {
        var present = values.Where(v => v.Value is { } x && !double.IsNaN(x)).ToArray();
        if (present.Length == 0) return;
        var series = plot.Add.ScatterPoints(present.Select(v => (double)v.Index).ToArray(), present.Select(v => v.Value!.Value).ToArray());
        series.LegendText = label;
        series.Color = color;
        series.LineWidth = 0;
        series.MarkerSize = 6 + 2 * width;
    }
}
