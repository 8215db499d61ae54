using System.Globalization;
using System.Text;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Search;

namespace RapidLlm.Interactive;

public static partial class RapidLlmHtml
{
    private const string BestRowStyle = " style=\"font-weight:bold;background:#EAF3FA\"";
    private const string NoStyle = " style=\"text-align:left;color:#C0392B\"";

    /// <summary>
    /// A configuration search: the first <paramref name="rows"/> candidates ranked, with units (the best in bold, the
    /// members of the Pareto front marked, "no" in red where a candidate does not fit), the counts, the Pareto front
    /// chart (<see cref="SvgCharts.ParetoFront"/>) and the front as a table of its own.
    /// </summary>
    /// <param name="result">The search result.</param>
    /// <param name="rows">Ranked candidates to list, ≥ 0 (default 20); the chart and the front table cover every candidate.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this SearchResult result, int rows = 20)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var ranks = SearchDisplay.Ranks(result);
        var front = result.ParetoFront;
        var onFront = new HashSet<int>(front.Select(c => ranks[c]));
        var training = result.RunType == RunType.Training;
        var experts = result.Candidates.Any(c => c.Point.ExpertParallel > 1);
        var html = new StringBuilder();
        html.Append("<table>\n<caption>").Append(Encode(string.Create(CultureInfo.InvariantCulture,
            $"Configuration search: {result.Gpus} GPUs, {result.RunType.ToString().ToLowerInvariant()}, ranked by {SearchDisplay.ObjectiveName(result.RunType, result.Objective)}{(result.Shard.IsWhole ? "" : $", shard {result.Shard}")}")))
            .Append("</caption>\n");
        AppendSearchHeader(html, training, experts);
        html.Append("<tbody>\n");
        foreach (var c in result.Candidates.Take(rows)) AppendSearchRow(html, c, ranks[c], onFront.Contains(ranks[c]), training, experts);
        html.Append("</tbody>\n</table>\n");

        var usable = result.CapacityBytes * (1 - result.MemoryHeadroom);
        var summary = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"{result.Evaluated} estimated, {result.Feasible} fit, {result.Pruned} pruned by the memory bound, {result.Rejected} rejected; "));
        summary.Append(Quantity.Bytes(result.CapacityBytes)).Append(" per GPU");
        if (result.MemoryHeadroom > 0)
            summary.Append(string.Create(CultureInfo.InvariantCulture, $", {Quantity.Bytes(usable)} usable ({result.MemoryHeadroom * 100:0.#} % kept free)"));
        var shown = Math.Min(rows, result.Candidates.Count);
        summary.Append(shown < result.Candidates.Count
            ? string.Create(CultureInfo.InvariantCulture, $"; the first {shown} of {result.Candidates.Count} listed.")
            : ".");
        html.Append("<p>").Append(Encode(summary.ToString())).Append("</p>\n");
        html.Append(SvgCharts.ParetoFront(result)).Append('\n');

        if (front.Count > 0)
        {
            html.Append("<table>\n<caption>").Append(Encode(string.Create(CultureInfo.InvariantCulture,
                    $"Pareto front: no other candidate that fits is both better by {SearchDisplay.ObjectiveName(result.RunType, result.Objective)} and smaller per GPU")))
                .Append("</caption>\n");
            AppendSearchHeader(html, training, experts);
            html.Append("<tbody>\n");
            foreach (var c in front.OrderBy(c => c.PeakMemoryBytes).ThenBy(c => ranks[c])) AppendSearchRow(html, c, ranks[c], true, training, experts);
            html.Append("</tbody>\n</table>\n");
        }

        return Wrap(html);
    }

    /// <summary>One search candidate: its figures with units (as <c>ParallelismSearch.Estimate</c> gives them).</summary>
    /// <param name="candidate">The candidate (<c>result.Best</c>, <c>result.Candidates[i]</c>).</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this SearchCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var html = new StringBuilder();
        AppendTable(html, CandidateTable(candidate));
        return Wrap(html);
    }

    /// <summary>
    /// A sweep: one table row per point (its settings, then time, time to first token, tokens per second, MFU, peak memory
    /// per GPU, capacity, whether it fits and energy; an invalid point gives its reason), then three charts against the
    /// first swept setting: time, throughput, and peak memory per GPU against the capacity.
    /// </summary>
    /// <param name="sweep">The sweep result (<c>SettingSweep.Run</c>).</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this SweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var training = SweepLayout.RunTypeOf(sweep) != RunType.Inference;
        var html = new StringBuilder();
        var estimated = sweep.Points.Count(p => p.Figures is not null);
        html.Append("<table>\n<caption>").Append(Encode(string.Create(CultureInfo.InvariantCulture,
            $"Sweep over {string.Join(" × ", sweep.Axes)}: {sweep.Points.Count} points, {estimated} estimated, {sweep.Feasible.Count()} fit"))).Append("</caption>\n<thead><tr>");
        foreach (var axis in sweep.Axes) Header(html, axis, left: true);
        Header(html, training ? "time per batch" : "total time");
        if (!training) Header(html, "time to first token");
        foreach (var name in new[] { "tokens/s", "MFU", "peak memory per GPU", "capacity per GPU" }) Header(html, name);
        Header(html, "fits", left: true);
        Header(html, "energy");
        html.Append("</tr></thead>\n<tbody>\n");
        var figureColumns = training ? 7 : 8;
        foreach (var p in sweep.Points)
        {
            html.Append("<tr>");
            foreach (var s in p.Settings) Cell(html, s.Value, left: true);
            if (p.Figures is not { } f)
            {
                html.Append("<td style=\"text-align:left;color:#C0392B\" colspan=\"").Append(figureColumns.ToString(CultureInfo.InvariantCulture)).Append("\">invalid: ")
                    .Append(Encode(p.Error ?? "")).Append("</td></tr>\n");
                continue;
            }

            Cell(html, Quantity.Seconds(f.TimePerBatchSeconds ?? f.TotalSeconds ?? double.NaN));
            if (!training) Cell(html, f.TimeToFirstTokenSeconds is { } ttft ? Quantity.Seconds(ttft) : "–");
            Cell(html, Quantity.Rate(f.TokensPerSecond, "tok"));
            Cell(html, Percent(f.ModelFlopsUtilization));
            Cell(html, Quantity.Bytes(f.PeakMemoryBytes));
            Cell(html, Quantity.Bytes(f.CapacityBytes));
            Fits(html, f.Fits);
            Cell(html, Quantity.Joules(f.EnergyJoules));
            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n<div style=\"display:flex;flex-wrap:wrap;gap:12px\">\n")
            .Append(SvgCharts.Time(sweep)).Append('\n')
            .Append(SvgCharts.Throughput(sweep)).Append('\n')
            .Append(SvgCharts.Memory(sweep)).Append('\n')
            .Append("</div>\n");
        return Wrap(html);
    }

    /// <summary>A candidate's figures as a result table (its title names the point and whether it fits).</summary>
    internal static ResultTable CandidateTable(SearchCandidate c)
    {
        var rows = new List<ResultRow>();
        if (c.TimePerBatchSeconds is { } batch) rows.Add(new ResultRow("time per batch", batch, ResultUnit.Seconds));
        if (c.TotalSeconds is { } total) rows.Add(new ResultRow("total time", total, ResultUnit.Seconds));
        if (c.TimeToFirstTokenSeconds is { } ttft) rows.Add(new ResultRow("time to first token", ttft, ResultUnit.Seconds));
        rows.Add(new ResultRow("tokens per second", c.TokensPerSecond, ResultUnit.TokensPerSecond));
        rows.Add(new ResultRow("model FLOPs utilization", c.ModelFlopsUtilization, ResultUnit.Fraction));
        rows.Add(new ResultRow("peak memory per GPU", c.PeakMemoryBytes, ResultUnit.Bytes));
        rows.Add(new ResultRow("capacity per GPU", c.CapacityBytes, ResultUnit.Bytes));
        rows.Add(new ResultRow("energy", c.EnergyJoules, ResultUnit.Joules));
        rows.Add(new ResultRow("parameters", c.ParameterCount, ResultUnit.None));
        rows.Add(new ResultRow("GPUs", c.Gpus, ResultUnit.None));
        return new ResultTable($"Candidate {c.Point} ({(c.Fits ? "fits" : "does not fit")})", rows);
    }

    private static void AppendSearchHeader(StringBuilder html, bool training, bool experts)
    {
        html.Append("<thead><tr>");
        Header(html, "#");
        foreach (var axis in training
            ? experts ? new[] { "tp", "cp", "pp", "dp", "ep", "micro-batches", "ZeRO" } : ["tp", "cp", "pp", "dp", "micro-batches", "ZeRO"]
            : ["tp", "cp", "pp", "replicas", "batch per replica"])
            Header(html, axis);
        if (training)
        {
            Header(html, "recompute", left: true);
            Header(html, "schedule", left: true);
            Header(html, "time per batch");
        }
        else
        {
            Header(html, "total time");
            Header(html, "time to first token");
        }

        foreach (var name in new[] { "tokens/s", "MFU", "energy", "peak memory per GPU" }) Header(html, name);
        Header(html, "fits", left: true);
        Header(html, "", left: true);
        html.Append("</tr></thead>\n");
    }

    private static void AppendSearchRow(StringBuilder html, SearchCandidate c, int rank, bool onFront, bool training, bool experts)
    {
        var p = c.Point;
        var best = rank == 1 && c.Fits;
        html.Append("<tr").Append(best ? BestRowStyle : "").Append('>');
        Cell(html, rank.ToString(CultureInfo.InvariantCulture));
        // tp is marked no-sp when it runs without sequence parallelism.
        Cell(html, p.TensorParallel.ToString(CultureInfo.InvariantCulture) + (p.SequenceParallel || p.TensorParallel == 1 ? "" : " no-sp"));
        var axes = training
            ? experts
                ? new[] { p.ContextParallel, p.PipelineStages, p.DataParallel, p.ExpertParallel, p.MicroBatches, p.ZeroStage }
                : [p.ContextParallel, p.PipelineStages, p.DataParallel, p.MicroBatches, p.ZeroStage]
            : [p.ContextParallel, p.PipelineStages, p.Replicas, p.Batch];
        foreach (var value in axes) Cell(html, value.ToString(CultureInfo.InvariantCulture));
        if (training)
        {
            Cell(html, p.RecomputeName, left: true);
            Cell(html, p.Schedule.ToString(), left: true);
            Cell(html, Quantity.Seconds(c.TimePerBatchSeconds ?? double.NaN));
        }
        else
        {
            Cell(html, Quantity.Seconds(c.TotalSeconds ?? double.NaN));
            Cell(html, Quantity.Seconds(c.TimeToFirstTokenSeconds ?? double.NaN));
        }

        Cell(html, Quantity.Rate(c.TokensPerSecond, "tok"));
        Cell(html, Percent(c.ModelFlopsUtilization));
        Cell(html, Quantity.Joules(c.EnergyJoules));
        Cell(html, Quantity.Bytes(c.PeakMemoryBytes));
        Fits(html, c.Fits);
        Cell(html, best ? onFront ? "best, Pareto front" : "best" : onFront ? "Pareto front" : "", left: true);
        html.Append("</tr>\n");
    }

    private static void Header(StringBuilder html, string text, bool left = false) =>
        html.Append("<th style=\"text-align:").Append(left ? "left" : "right").Append("\">").Append(Encode(text)).Append("</th>");

    private static void Cell(StringBuilder html, string text, bool left = false) =>
        html.Append("<td style=\"text-align:").Append(left ? "left" : "right").Append("\">").Append(Encode(text)).Append("</td>");

    private static void Fits(StringBuilder html, bool fits)
    {
        if (fits) Cell(html, "yes", left: true);
        else html.Append("<td").Append(NoStyle).Append(">no</td>");
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";
}
