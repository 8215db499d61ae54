using RapidLlm.Configuration;
using RapidLlm.Interactive.Charts;
using RapidLlm.Search;

namespace RapidLlm.Interactive;

/// <summary>
/// How a sweep's points lie on a chart: the first axis's values along x, and one line per combination of the other
/// axes (the grid order makes each a complete row). More combinations than the palette's eight colours, and every
/// point gets its own place on x instead, labelled with all its settings.
/// </summary>
internal sealed class SweepLayout
{
    private const int MostLines = 8;

    private SweepLayout(string settingName, List<string> settings, List<string> groups, SweepPoint?[,] cells)
    {
        SettingName = settingName;
        Settings = settings;
        Groups = groups;
        Cells = cells;
    }

    /// <summary>The name under the x axis.</summary>
    public string SettingName { get; }

    /// <summary>The labels along x.</summary>
    public List<string> Settings { get; }

    /// <summary>The line names ("recompute = true"); one empty name for a single line.</summary>
    public List<string> Groups { get; }

    /// <summary>The point of each line (first index) at each setting (second index); null where the grid has none.</summary>
    public SweepPoint?[,] Cells { get; }

    public static SweepLayout Of(SweepResult sweep)
    {
        var points = sweep.Points;
        if (sweep.Axes.Count > 1)
        {
            var settings = points.Select(p => p.Settings[0].Value).Distinct().ToList();
            var groups = points.Select(GroupName).Distinct().ToList();
            if (groups.Count <= MostLines)
            {
                var cells = new SweepPoint?[groups.Count, settings.Count];
                foreach (var p in points) cells[groups.IndexOf(GroupName(p)), settings.IndexOf(p.Settings[0].Value)] ??= p;
                return new SweepLayout(sweep.Axes[0], settings, groups, cells);
            }
        }

        var flat = new SweepPoint?[1, points.Count];
        for (var i = 0; i < points.Count; i++) flat[0, i] = points[i];
        return new SweepLayout(string.Join(" × ", sweep.Axes), [.. points.Select(p => string.Join(", ", p.Settings.Select(s => s.Value)))], [""], flat);
    }

    /// <summary>The run type of the sweep's estimated points (training when none was estimated).</summary>
    public static RunType RunTypeOf(SweepResult sweep) =>
        sweep.Points.FirstOrDefault(p => p.Figures is not null)?.Figures!.RunType ?? RunType.Training;

    /// <summary>One line per group of a figure (null for invalid points); a single group's line takes <paramref name="metric"/> as its name.</summary>
    public List<ChartLine> Lines(string metric, Func<SearchCandidate, double?> figure)
    {
        var lines = new List<ChartLine>();
        for (var g = 0; g < Groups.Count; g++)
        {
            var values = new List<double?>();
            for (var s = 0; s < Settings.Count; s++) values.Add(Cells[g, s]?.Figures is { } f ? figure(f) : null);
            lines.Add(new ChartLine(Groups.Count == 1 ? metric : Groups[g], values));
        }

        return lines;
    }

    /// <summary>The capacity per GPU at each setting, where every estimated point there has the same one.</summary>
    public List<double?> Capacities()
    {
        var limits = new List<double?>();
        for (var s = 0; s < Settings.Count; s++)
        {
            var capacities = Enumerable.Range(0, Groups.Count).Select(g => Cells[g, s]?.Figures?.CapacityBytes).OfType<double>().Distinct().ToList();
            limits.Add(capacities.Count == 1 ? capacities[0] : null);
        }

        return limits;
    }

    private static string GroupName(SweepPoint point) => string.Join(", ", point.Settings.Skip(1).Select(s => s.Axis + " = " + s.Value));
}
