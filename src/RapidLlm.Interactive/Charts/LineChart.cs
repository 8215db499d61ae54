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
        var largest = lines.SelectMany(l => l.Values).Concat(limits ?? []).Where(v => v is > 0 && double.IsFinite(v.Value)).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        // A little room above the largest value, so a capacity line never sits on the frame.
        var axis = AxisScale.For(largest * 1.04, quantity);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var band = plotWidth / Math.Max(1, settings.Count);
        double X(int index) => Left + band * (index + 0.5);
        double Y(double value) => Top + plotHeight * (1 - value / axis.Maximum);

        var svg = new SvgDocument(Width, Height, title);
        svg.Text(Left - 50, 16, title, bold: true, size: 13);

        foreach (var tick in axis.Ticks())
        {
            svg.Line(Left, Y(tick), Left + plotWidth, Y(tick), Palette.Grid);
            svg.Text(Left - 6, Y(tick) + 4, axis.Label(tick), "end", 11);
        }

        svg.Line(Left, Top, Left, Top + plotHeight, Palette.Axis);
        svg.Line(Left, Top + plotHeight, Left + plotWidth, Top + plotHeight, Palette.Axis);
        for (var i = 0; i < settings.Count; i++)
        {
            svg.Line(X(i), Top + plotHeight, X(i), Top + plotHeight + 4, Palette.Axis);
            svg.Text(X(i), Top + plotHeight + 17, settings[i], "middle", 11);
        }

        svg.Text(Left + plotWidth / 2, Height - 10, settingName, "middle", 12);
        svg.Text(16, Top + plotHeight / 2, $"{valueName} ({axis.Unit})", "middle", 12, rotate: -90);

        var legend = new List<(string Name, string Colour, string? Dash)>();
        if (limits is not null)
        {
            for (var i = 0; i < settings.Count; i++)
            {
                if (limits[i] is { } limit && limit > 0)
                    svg.Line(X(i) - band / 2, Y(limit), X(i) + band / 2, Y(limit), Palette.Limit, 1.5, "5,3");
            }

            legend.Add((limitName, Palette.Limit, "5,3"));
        }

        for (var n = 0; n < lines.Count; n++)
        {
            var line = lines[n];
            var colour = Palette.At(n);
            legend.Add((line.Name, colour, null));
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

        if (legend.Count > 1)
        {
            var x = Left;
            foreach (var (name, colour, dash) in legend)
            {
                svg.Line(x, 31, x + 18, 31, colour, 2, dash);
                svg.Text(x + 23, 35, name, size: 11);
                x += 34 + name.Length * 6.2;
            }
        }

        return svg.ToString();
    }
}
