namespace RapidLlm.Workbench.Running;

/// <summary>The figures a run is compared by: its estimate, the fastest point of a sweep, or a search's best candidate.</summary>
/// <param name="TimeSeconds">Time per batch or total time.</param>
/// <param name="TokensPerSecond">Throughput.</param>
/// <param name="PeakMemoryBytes">Per-GPU peak.</param>
/// <param name="CapacityBytes">Per-GPU capacity.</param>
/// <param name="Note">Which point of a sweep or search the figures are from, or null.</param>
public sealed record RunHeadline(double? TimeSeconds, double? TokensPerSecond, double? PeakMemoryBytes, double? CapacityBytes, string? Note)
{
    /// <summary>The figures of a run.</summary>
    /// <param name="run">The run.</param>
    /// <returns>Its headline (all null when it has no results).</returns>
    public static RunHeadline Of(RunRecord run)
    {
        if (run.Estimate is { } e) return new(e.TimeSeconds, e.TokensPerSecond, e.Memory?.PeakBytes, e.Memory?.CapacityBytes, null);
        if (run.Sweep is { } s)
        {
            var best = s.Points.Where(p => p.Error is null && p.Fits && p.TimeSeconds is not null).MinBy(p => p.TimeSeconds);
            if (best is null) return new(null, null, null, null, "no point fits");
            var where = string.Join(", ", s.Axes.Select((a, i) => $"{a.Label} {best.Values[i]}"));
            return new(best.TimeSeconds, best.TokensPerSecond, best.PeakMemoryBytes, best.CapacityBytes, "fastest point that fits: " + where);
        }

        if (run.Search is { } r)
        {
            return r.Best is { } top
                ? new(top.TimeSeconds, top.TokensPerSecond, top.PeakMemoryBytes, top.CapacityBytes, "best candidate: " + top.Label)
                : new(null, null, null, null, "no candidate fits");
        }

        return new(null, null, null, null, null);
    }
}
