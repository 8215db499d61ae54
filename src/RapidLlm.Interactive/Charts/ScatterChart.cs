namespace RapidLlm.Interactive.Charts;

/// <summary>One mark of a <see cref="ScatterChart"/>: where it sits, its tooltip and an optional short label beside it.</summary>
internal sealed record ScatterPoint(double X, double Y, string Tooltip, string? Label = null);

/// <summary>
/// A cloud of points and a front drawn over it (the search's candidates and their Pareto front): the x axis from zero
/// with an optional vertical limit (the usable memory per GPU) dashed, the y axis zoomed on the front so its trade-offs
/// are not squashed by far worse points; points outside the zoom are left out and counted in a note under the plot.
/// The front's first point (the best) is ringed.
/// </summary>
internal static class ScatterChart
{
    private const double Width = 560;
    private const double Height = 330;
    private const double Left = 62;
    private const double Right = 24;
    private const double Top = 46;
    private const double Bottom = 60;
    private const double PlotWidth = Width - Left - Right;
    private const double PlotHeight = Height - Top - Bottom;

    public static string Render(
        string title,
        (string Name, AxisQuantity Quantity) x,
        (string Name, AxisQuantity Quantity) y,
        (string Name, IReadOnlyList<ScatterPoint> Points) cloud,
        (string Name, IReadOnlyList<ScatterPoint> Points) front,
        bool largerIsBetter,
        (double Value, string Label)? xLimit,
        string emptyMessage)
    {
        var all = cloud.Points.Concat(front.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var xAxis = AxisScale.For(Math.Max(all.Select(p => p.X).DefaultIfEmpty(0).Max(), xLimit?.Value ?? 0) * 1.04, x.Quantity);
        var plot = new PlotArea(xAxis, YAxis(all, front.Points, largerIsBetter, y.Quantity));

        var svg = new SvgDocument(Width, Height, title);
        svg.Text(Left - 50, 16, title, bold: true, size: 13);
        DrawAxes(svg, plot, x.Name, y.Name);

        var legend = new List<(string Name, string Colour, string? Dash)>();
        if (xLimit is { } limit && limit.Value > 0)
        {
            svg.Line(plot.X(limit.Value), Top, plot.X(limit.Value), Top + PlotHeight, Palette.Limit, 1.5, "5,3");
            legend.Add((limit.Label, Palette.Limit, "5,3"));
        }

        var hidden = DrawCloud(svg, plot, cloud, legend) + DrawFront(svg, plot, front, legend, emptyMessage);
        DrawLegend(svg, legend);
        if (hidden > 0)
        {
            var where = largerIsBetter ? "below" : "above";
            svg.Text(Left, Height - 6, $"{hidden} more {(hidden == 1 ? "candidate lies" : "candidates lie")} {where} the plotted range", size: 11, fill: Palette.Axis);
        }

        return svg.ToString();
    }

    /// <summary>The plot's two axes and where a value lands on the drawing.</summary>
    private sealed class PlotArea(AxisScale xAxis, AxisScale yAxis)
    {
        public AxisScale XAxis { get; } = xAxis;
        public AxisScale YAxis { get; } = yAxis;

        public double X(double value) => Left + PlotWidth * XAxis.Fraction(value);

        public double Y(double value) => Top + PlotHeight * (1 - YAxis.Fraction(value));

        /// <summary>Whether a point lies inside the (possibly zoomed) y range.</summary>
        public bool Shown(ScatterPoint p) =>
            double.IsFinite(p.X) && double.IsFinite(p.Y) && p.Y >= YAxis.Minimum - 1e-12 * YAxis.Maximum && p.Y <= YAxis.Maximum * (1 + 1e-12);
    }

    // Grid lines and labels of both axes, the frame, and the axis titles with their units.
    private static void DrawAxes(SvgDocument svg, PlotArea plot, string xName, string yName)
    {
        foreach (var tick in plot.YAxis.Ticks())
        {
            svg.Line(Left, plot.Y(tick), Left + PlotWidth, plot.Y(tick), Palette.Grid);
            svg.Text(Left - 6, plot.Y(tick) + 4, plot.YAxis.Label(tick), "end", 11);
        }

        foreach (var tick in plot.XAxis.Ticks())
        {
            svg.Line(plot.X(tick), Top + PlotHeight, plot.X(tick), Top + PlotHeight + 4, Palette.Axis);
            svg.Text(plot.X(tick), Top + PlotHeight + 17, plot.XAxis.Label(tick), "middle", 11);
        }

        svg.Line(Left, Top, Left, Top + PlotHeight, Palette.Axis);
        svg.Line(Left, Top + PlotHeight, Left + PlotWidth, Top + PlotHeight, Palette.Axis);
        svg.Text(Left + PlotWidth / 2, Top + PlotHeight + 34, $"{xName} ({plot.XAxis.Unit})", "middle", 12);
        svg.Text(16, Top + PlotHeight / 2, $"{yName} ({plot.YAxis.Unit})", "middle", 12, rotate: -90);
    }

    /// <summary>Draws the cloud's points inside the range (and its legend entry if any is); returns how many lie outside.</summary>
    private static int DrawCloud(
        SvgDocument svg, PlotArea plot, (string Name, IReadOnlyList<ScatterPoint> Points) cloud, List<(string, string, string?)> legend)
    {
        var hidden = 0;
        var shown = 0;
        foreach (var p in cloud.Points)
        {
            if (!plot.Shown(p))
            {
                hidden++;
                continue;
            }

            svg.Circle(plot.X(p.X), plot.Y(p.Y), 3, Palette.Cloud, Palette.Cloud, p.Tooltip);
            shown++;
        }

        if (shown > 0) legend.Add((cloud.Name, Palette.Cloud, null));
        return hidden;
    }

    /// <summary>
    /// Draws the front (line, points, the best ringed, labels that do not overlap) or, with no front point in range,
    /// the empty message; returns how many front points lie outside the range.
    /// </summary>
    private static int DrawFront(
        SvgDocument svg, PlotArea plot, (string Name, IReadOnlyList<ScatterPoint> Points) front,
        List<(string, string, string?)> legend, string emptyMessage)
    {
        var frontColour = Palette.At(0);
        var frontShown = front.Points.Where(plot.Shown).ToList();
        if (frontShown.Count == 0)
        {
            svg.Text(Left + PlotWidth / 2, Top + PlotHeight / 2, emptyMessage, "middle", 12, Palette.Limit);
            return front.Points.Count;
        }

        legend.Add((front.Name, frontColour, null));
        if (frontShown.Count > 1) svg.Polyline(frontShown.OrderBy(p => p.X).Select(p => (plot.X(p.X), plot.Y(p.Y))), frontColour);
        var best = front.Points[0];
        if (plot.Shown(best)) svg.Circle(plot.X(best.X), plot.Y(best.Y), 8, "none", frontColour);
        // Labels go best first; one that would overlap a placed label is left to the tooltip.
        var placed = new List<(double X, double Y)>();
        foreach (var p in frontShown)
        {
            svg.Circle(plot.X(p.X), plot.Y(p.Y), 4.5, frontColour, frontColour, p.Tooltip);
            var (lx, ly) = (plot.X(p.X) + 9, plot.Y(p.Y) - 7);
            if (p.Label is not { } label || placed.Any(q => Math.Abs(q.X - lx) < 28 && Math.Abs(q.Y - ly) < 11)) continue;
            svg.Text(lx, ly, label, size: 10);
            placed.Add((lx, ly));
        }

        return front.Points.Count - frontShown.Count;
    }

    private static void DrawLegend(SvgDocument svg, List<(string Name, string Colour, string? Dash)> legend)
    {
        var lx = Left;
        foreach (var (name, colour, dash) in legend)
        {
            if (dash is null && colour == Palette.Cloud) svg.Circle(lx + 9, 31, 3, colour, colour);
            else svg.Line(lx, 31, lx + 18, 31, colour, 2, dash);
            svg.Text(lx + 23, 35, name, size: 11);
            lx += 34 + name.Length * 6.2;
        }
    }

    /// <summary>
    /// The y axis: zoomed on the front (half its span on the good side, one and a half on the other), or on the cloud
    /// when there is no front; stretched to every point when they all lie within twice that window.
    /// </summary>
    private static AxisScale YAxis(List<ScatterPoint> all, IReadOnlyList<ScatterPoint> front, bool largerIsBetter, AxisQuantity quantity)
    {
        var focus = front.Where(p => double.IsFinite(p.Y)).Select(p => p.Y).ToList();
        if (focus.Count == 0) focus = all.Select(p => p.Y).ToList();
        if (focus.Count == 0) return AxisScale.For(0, quantity);
        var (low, high) = (focus.Min(), focus.Max());
        var span = Math.Max(high - low, 0.1 * Math.Abs(high));
        var (below, above) = largerIsBetter ? (1.5, 0.5) : (0.5, 1.5);
        var (windowLow, windowHigh) = (Math.Max(0, low - below * span), high + above * span);
        var (allLow, allHigh) = (all.Min(p => p.Y), all.Max(p => p.Y));
        var reach = 2 * (windowHigh - windowLow);
        if (allHigh - allLow <= reach) (windowLow, windowHigh) = (Math.Min(windowLow, allLow), Math.Max(windowHigh, allHigh));
        return AxisScale.Between(windowLow, windowHigh, quantity);
    }
}
