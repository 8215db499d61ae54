using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Interactive.Charts;
using RapidLlm.Search;

namespace RapidLlm.Interactive;

public static partial class SvgCharts
{
    /// <summary>The most candidates drawn behind a Pareto front (the best ranked); a larger search says how many it left out.</summary>
    internal const int MostCloudPoints = 2000;

    /// <summary>
    /// The Pareto front of a search: the objective (time per batch, total time, time to first token or throughput)
    /// against the peak memory per GPU, for every candidate that fits (grey) with the front drawn over them (each point
    /// labelled with its rank, the best ringed) and the usable memory per GPU dashed. The time axis is zoomed on the
    /// front; candidates far outside it are counted under the plot.
    /// </summary>
    /// <param name="result">A search result (<c>ParallelismSearch.Run</c>, <c>SearchResult.FromJson</c>).</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    public static string ParetoFront(SearchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var objective = result.Objective;
        var ranks = SearchDisplay.Ranks(result);
        var front = result.ParetoFront;
        var members = new HashSet<int>(front.Select(c => ranks[c]));
        var fitting = result.Candidates.Where(c => c.Fits).ToList();
        ScatterPoint Mark(SearchCandidate c, bool labelled) => new(
            c.PeakMemoryBytes,
            SearchDisplay.ObjectiveValue(c, objective),
            string.Create(CultureInfo.InvariantCulture, $"#{ranks[c]} {c.Point}: {SearchDisplay.ObjectiveText(c, objective)}, peak {Quantity.Bytes(c.PeakMemoryBytes)} per GPU"),
            labelled ? "#" + ranks[c].ToString(CultureInfo.InvariantCulture) : null);

        var cloud = fitting.Where(c => !members.Contains(ranks[c])).Take(MostCloudPoints).Select(c => Mark(c, false)).ToList();
        // Label the front's points; a long front gets every few, its ends included.
        var every = Math.Max(1, (int)Math.Ceiling(front.Count / 10.0));
        var frontPoints = front.Select((c, i) => Mark(c, i % every == 0 || i == front.Count - 1)).ToList();
        var usable = result.CapacityBytes * (1 - result.MemoryHeadroom);
        var limitLabel = result.MemoryHeadroom > 0
            ? string.Create(CultureInfo.InvariantCulture, $"usable memory ({result.MemoryHeadroom * 100:0.#} % kept free)")
            : "capacity";
        var leftOut = Math.Max(0, fitting.Count - front.Count - MostCloudPoints);
        var title = string.Create(CultureInfo.InvariantCulture,
            $"Pareto front: {front.Count} of {fitting.Count} candidates that fit{(leftOut > 0 ? $" ({leftOut} not drawn)" : "")}");
        return ScatterChart.Render(
            title,
            ("peak memory per GPU", AxisQuantity.Bytes),
            (SearchDisplay.ObjectiveName(result.RunType, objective), objective == SearchObjective.Throughput ? AxisQuantity.TokensPerSecond : AxisQuantity.Seconds),
            ("fits", cloud),
            ("Pareto front", frontPoints),
            objective == SearchObjective.Throughput,
            usable > 0 ? (usable, limitLabel) : null,
            $"no candidate fits in {Quantity.Bytes(usable)} per GPU");
    }

    /// <summary>
    /// The time of each point of a sweep against the first swept setting: time per batch (training) or total time (and
    /// time to first token, for a one-line inference sweep). With more axes, one line per combination of the others.
    /// Invalid points leave a gap.
    /// </summary>
    /// <param name="sweep">A sweep result (<c>SettingSweep.Run</c>).</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    public static string Time(SweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var layout = SweepLayout.Of(sweep);
        var training = SweepLayout.RunTypeOf(sweep) != RunType.Inference;
        var metric = training ? "time per batch" : "total time";
        var lines = layout.Lines(metric, f => f.TimePerBatchSeconds ?? f.TotalSeconds);
        if (!training && layout.Groups.Count == 1)
            lines.Add(layout.Lines("time to first token", f => f.TimeToFirstTokenSeconds)[0]);
        var valueName = lines.Count > 1 && layout.Groups.Count == 1 ? "time" : metric;
        return LineChart.Render(Capitalised(valueName), layout.SettingName, layout.Settings, lines, AxisQuantity.Seconds, valueName);
    }

    /// <summary>
    /// Tokens per second of each point of a sweep (trained tokens for training, aggregate generated tokens for
    /// inference) against the first swept setting, one line per combination of the other axes.
    /// </summary>
    /// <param name="sweep">A sweep result.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    public static string Throughput(SweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var layout = SweepLayout.Of(sweep);
        var lines = layout.Lines("throughput", f => f.TokensPerSecond);
        return LineChart.Render("Throughput", layout.SettingName, layout.Settings, lines, AxisQuantity.TokensPerSecond, "throughput");
    }

    /// <summary>
    /// Peak memory per GPU of each point of a sweep against the first swept setting, with the capacity dashed; a point
    /// that does not fit is drawn hollow in red. One line per combination of the other axes.
    /// </summary>
    /// <param name="sweep">A sweep result.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    public static string Memory(SweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var layout = SweepLayout.Of(sweep);
        var lines = layout.Lines("peak memory per GPU", f => f.PeakMemoryBytes);
        return LineChart.Render("Peak memory per GPU", layout.SettingName, layout.Settings, lines, AxisQuantity.Bytes, "memory per GPU", layout.Capacities());
    }
}
