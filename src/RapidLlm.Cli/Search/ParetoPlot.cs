using RapidLlm.Configuration;
using RapidLlm.Search;
using ScottPlot;

namespace RapidLlm.Cli;

/// <summary>The Pareto front of a search as a PNG: every candidate that fits (grey) and the front (time against per-GPU memory).</summary>
internal static class ParetoPlot
{
    /// <summary>The plot as PNG bytes (rendered before any file is written, so a failure leaves no file behind).</summary>
    public static byte[] Render(SearchResult result)
    {
        var objective = result.Objective;
        double Y(SearchCandidate c) => objective == SearchObjective.Throughput ? c.TokensPerSecond : Math.Abs(c.RankingValue(objective));
        var fitting = result.Candidates.Where(c => c.Fits).ToList();
        var front = result.ParetoFront.ToList();

        var plot = new Plot();
        if (fitting.Count > 0)
        {
            var all = plot.Add.ScatterPoints(fitting.Select(c => c.PeakGib).ToArray(), fitting.Select(Y).ToArray());
            all.Color = Colors.Gray.WithAlpha(0.5);
            all.MarkerSize = 4;
            all.LegendText = "fits";
        }

        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(c => c.PeakGib).ToArray(), front.Select(Y).ToArray());
            line.Color = Colors.OrangeRed;
            line.MarkerSize = 8;
            line.LegendText = "Pareto front";
            // Label the front's ends and a few points between them; the rest are in the table and the JSON.
            var step = Math.Max(1, front.Count / 5);
            for (var i = 0; i < front.Count; i += step)
            {
                var c = front[i];
                var label = plot.Add.Text(c.Point.ToString(), c.PeakGib, Y(c));
                label.LabelFontSize = 10;
                label.LabelOffsetX = 8;
                label.LabelOffsetY = -6;
            }

            // Zoom on the front: far slower candidates would squash it against the axis.
            var ys = front.Select(Y).ToList();
            var (low, high) = (ys.Min(), ys.Max());
            var span = Math.Max(high - low, 0.1 * Math.Abs(high));
            plot.Axes.SetLimitsY(Math.Max(0, low - 0.5 * span), high + 1.5 * span);
        }

        plot.Title($"Configuration search: {result.Gpus} GPUs, {result.RunType.ToString().ToLowerInvariant()} ({result.Feasible} of {result.Evaluated} fit)");
        plot.XLabel("peak memory per GPU (GiB)");
        plot.YLabel(objective switch
        {
            SearchObjective.Throughput => result.RunType == RunType.Training ? "trained tokens per second" : "generated tokens per second",
            SearchObjective.TimeToFirstToken => "time to first token (s)",
            _ => result.RunType == RunType.Training ? "time per batch (s)" : "total time (s)",
        });
        plot.ShowLegend();
        return plot.GetImageBytes(1000, 650, ImageFormat.Png);
    }
}
