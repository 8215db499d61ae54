namespace RapidLlm.Interactive.Charts;

/// <summary>One line of a <see cref="LineChart"/>: a value per category, null where there is none.</summary>
internal sealed record ChartLine(string Name, IReadOnlyList<double?> Values);

/// <summary>
/// Values against a swept setting: the settings evenly spaced on the x axis (as labels, so 1, 2, 4, 8 read as steps),
/// one or more lines on a linear y axis from zero, and an optional per-setting limit (the GPU's capacity) drawn dashed;
/// a point above its limit is drawn hollow in the limit's colour.
/// </summary>
internal static class LineChart
{
    private const double Width = 460;
    private const double Height = 290;
    private const double Left = 62;
    private const double Right = 16;
    private const double Top = 46;
    private const double Bottom = 52;
    private const double LegendRowHeight = 16;

    public static string Render(
        string title,
        string settingName,
        IReadOnlyList<string> settings,
        IReadOnlyList<ChartLine> lines,
        AxisQuantity quantity,
        string valueName,
        IReadOnlyList<double?>? limits = null,
        string limitName = "capacity")
    {
        var legendEntries = new List<(string Name, string Colour, string? Dash)>();
        if (limits is not null) legendEntries.Add((limitName, Palette.Limit, "5,3"));
        for (var n = 0; n < lines.Count; n++) legendEntries.Add((lines[n].Name, Palette.At(n), null));
        var legendPlaces = legendEntries.Count > 1 ? LegendPlaces(legendEntries.Select(e => e.Name).ToList()) : [];
        // Each legend row past the first pushes the plot down and makes the drawing taller.
        var extraRows = legendPlaces.Count == 0 ? 0 : legendPlaces.Max(p => p.Row);
        var top = Top + LegendRowHeight * extraRows;
        var height = Height + LegendRowHeight * extraRows;

        var largest = lines.SelectMany(l => l.Values).Concat(limits ?? []).Where(v => v is > 0 && double.IsFinite(v.Value)).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        // A little room above the largest value, so a capacity line never sits on the frame.
        var axis = AxisScale.For(largest * 1.04, quantity);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var band = plotWidth / Math.Max(1, settings.Count);
        double X(int index) => Left + band * (index + 0.5);
        double Y(double value) => top + plotHeight * (1 - value / axis.Maximum);

        var svg = new SvgDocument(Width, height, title);
        svg.Text(Left - 50, 16, title, bold: true, size: 13);

        foreach (var tick in axis.Ticks())
        {
            svg.Line(Left, Y(tick), Left + plotWidth, Y(tick), Palette.Grid);
            svg.Text(Left - 6, Y(tick) + 4, axis.Label(tick), "end", 11);
        }

        svg.Line(Left, top, Left, top + plotHeight, Palette.Axis);
        svg.Line(Left, top + plotHeight, Left + plotWidth, top + plotHeight, Palette.Axis);
        for (var i = 0; i < settings.Count; i++)
        {
            svg.Line(X(i), top + plotHeight, X(i), top + plotHeight + 4, Palette.Axis);
            svg.Text(X(i), top + plotHeight + 17, settings[i], "middle", 11);
        }

        svg.Text(Left + plotWidth / 2, height - 10, settingName, "middle", 12);
        svg.Text(16, top + plotHeight / 2, $"{valueName} ({axis.Unit})", "middle", 12, rotate: -90);

        if (limits is not null)
        {
            for (var i = 0; i < settings.Count; i++)
            {
                if (limits[i] is { } limit && limit > 0)
                    svg.Line(X(i) - band / 2, Y(limit), X(i) + band / 2, Y(limit), Palette.Limit, 1.5, "5,3");
            }
        }

        for (var n = 0; n < lines.Count; n++)
        {
            var line = lines[n];
            var colour = Palette.At(n);
            var run = new List<(double X, double Y)>();
            for (var i = 0; i <= settings.Count; i++)
            {
                if (i < settings.Count && line.Values[i] is { } v && double.IsFinite(v))
                {
                    run.Add((X(i), Y(v)));
                    continue;
                }

                if (run.Count > 1) svg.Polyline(run, colour);
                run.Clear();
            }

            for (var i = 0; i < settings.Count; i++)
            {
                if (line.Values[i] is not { } v || !double.IsFinite(v)) continue;
                var over = limits?[i] is { } limit && limit > 0 && v > limit;
                var tip = $"{settingName} {settings[i]}: {line.Name} {StackedBarChart.Format(v, quantity)}{(over ? $" (over the {limitName})" : "")}";
                svg.Circle(X(i), Y(v), 4, over ? "#FFFFFF" : colour, over ? Palette.Limit : colour, tip);
            }
        }

        for (var i = 0; i < legendPlaces.Count; i++)
        {
            var (name, colour, dash) = legendEntries[i];
            var (x, row) = legendPlaces[i];
            var y = 31 + LegendRowHeight * row;
            svg.Line(x, y, x + 18, y, colour, 2, dash);
            svg.Text(x + 23, y + 4, name, size: 11);
        }

        return svg.ToString();
    }

    /// <summary>Where each legend entry starts and on which row (from 0): entries run left to right and wrap at the right edge.</summary>
    private static List<(double X, int Row)> LegendPlaces(List<string> names)
    {
        var places = new List<(double X, int Row)>();
        var (x, row) = (Left, 0);
        foreach (var name in names)
        {
            var width = 34 + name.Length * 6.2;
            if (x > Left && x + width - 10 > Width - Right)
            {
                (x, row) = (Left, row + 1);
            }

            places.Add((x, row));
            x += width;
        }

        return places;
    }
}
