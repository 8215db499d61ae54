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
    private const double PlotWidth = Width - Left - Right;
    private const double PlotHeight = Height - Top - Bottom;

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
        var height = Height + LegendRowHeight * extraRows;

        var largest = lines.SelectMany(l => l.Values).Concat(limits ?? []).Where(v => v is > 0 && double.IsFinite(v.Value)).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        // A little room above the largest value, so a capacity line never sits on the frame.
        var plot = new PlotArea(AxisScale.For(largest * 1.04, quantity), Top + LegendRowHeight * extraRows, settings.Count);

        var svg = new SvgDocument(Width, height, title);
        svg.Text(Left - 50, 16, title, bold: true, size: 13);
        DrawAxes(svg, plot, settings);
        svg.Text(Left + PlotWidth / 2, height - 10, settingName, "middle", 12);
        svg.Text(16, plot.Top + PlotHeight / 2, $"{valueName} ({plot.Axis.Unit})", "middle", 12, rotate: -90);

        if (limits is not null)
        {
            for (var i = 0; i < settings.Count; i++)
            {
                if (limits[i] is { } limit && limit > 0)
                    svg.Line(plot.X(i) - plot.Band / 2, plot.Y(limit), plot.X(i) + plot.Band / 2, plot.Y(limit), Palette.Limit, 1.5, "5,3");
            }
        }

        for (var n = 0; n < lines.Count; n++)
        {
            DrawLine(svg, plot, lines[n], Palette.At(n), settings.Count);
            DrawPoints(svg, plot, lines[n], Palette.At(n), (settingName, settings), quantity, (limitName, limits));
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

    /// <summary>The value axis, the plot's top edge (below the legend rows) and where a setting and a value land.</summary>
    private sealed class PlotArea(AxisScale axis, double top, int settingCount)
    {
        public AxisScale Axis { get; } = axis;
        public double Top { get; } = top;

        /// <summary>The width each setting gets on the x axis.</summary>
        public double Band { get; } = PlotWidth / Math.Max(1, settingCount);

        public double X(int index) => Left + Band * (index + 0.5);

        public double Y(double value) => Top + PlotHeight * (1 - value / Axis.Maximum);
    }

    // Grid lines and value labels, the frame, and a tick and label per setting.
    private static void DrawAxes(SvgDocument svg, PlotArea plot, IReadOnlyList<string> settings)
    {
        foreach (var tick in plot.Axis.Ticks())
        {
            svg.Line(Left, plot.Y(tick), Left + PlotWidth, plot.Y(tick), Palette.Grid);
            svg.Text(Left - 6, plot.Y(tick) + 4, plot.Axis.Label(tick), "end", 11);
        }

        var bottom = plot.Top + PlotHeight;
        svg.Line(Left, plot.Top, Left, bottom, Palette.Axis);
        svg.Line(Left, bottom, Left + PlotWidth, bottom, Palette.Axis);
        for (var i = 0; i < settings.Count; i++)
        {
            svg.Line(plot.X(i), bottom, plot.X(i), bottom + 4, Palette.Axis);
            svg.Text(plot.X(i), bottom + 17, settings[i], "middle", 11);
        }
    }

    // A line through consecutive finite values; a missing value breaks it into separate runs.
    private static void DrawLine(SvgDocument svg, PlotArea plot, ChartLine line, string colour, int settingCount)
    {
        var run = new List<(double X, double Y)>();
        for (var i = 0; i <= settingCount; i++)
        {
            if (i < settingCount && line.Values[i] is { } v && double.IsFinite(v))
            {
                run.Add((plot.X(i), plot.Y(v)));
                continue;
            }

            if (run.Count > 1) svg.Polyline(run, colour);
            run.Clear();
        }
    }

    // A point per finite value with its tooltip; one over its setting's limit is hollow, in the limit's colour.
    private static void DrawPoints(
        SvgDocument svg, PlotArea plot, ChartLine line, string colour, (string Name, IReadOnlyList<string> Values) settings,
        AxisQuantity quantity, (string Name, IReadOnlyList<double?>? Values) limits)
    {
        for (var i = 0; i < settings.Values.Count; i++)
        {
            if (line.Values[i] is not { } v || !double.IsFinite(v)) continue;
            var over = limits.Values?[i] is { } limit && limit > 0 && v > limit;
            var tip = $"{settings.Name} {settings.Values[i]}: {line.Name} {StackedBarChart.Format(v, quantity)}{(over ? $" (over the {limits.Name})" : "")}";
            svg.Circle(plot.X(i), plot.Y(v), 4, over ? "#FFFFFF" : colour, over ? Palette.Limit : colour, tip);
        }
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
