using RapidLlm.Common;

namespace RapidLlm.Interactive.Charts;

/// <summary>One part of a stacked bar.</summary>
internal sealed record BarSegment(string Label, double Value);

/// <summary>
/// One horizontal bar split into parts (what memory holds, where time goes), on a labelled axis, with an optional
/// vertical limit line (the GPU's capacity) and a legend giving each part's value.
/// </summary>
internal static class StackedBarChart
{
    private const double Width = 640;
    private const double Left = 16;
    private const double Right = 56;
    private const double BarTop = 42;
    private const double BarHeight = 26;

    public static string Render(string title, IReadOnlyList<BarSegment> segments, AxisQuantity quantity, (double Value, string Label)? limit)
    {
        var parts = segments.Where(s => s.Value > 0 && double.IsFinite(s.Value)).ToList();
        var total = parts.Sum(s => s.Value);
        var axis = AxisScale.For(Math.Max(total, limit?.Value ?? 0), quantity);
        var plotWidth = Width - Left - Right;
        double X(double value) => Left + plotWidth * value / axis.Maximum;

        var svg = new SvgDocument(Width, BarTop + BarHeight + 44, title);
        svg.Text(Left, 16, title, bold: true, size: 13);

        var start = 0.0;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            svg.Rect(X(start), BarTop, X(start + part.Value) - X(start), BarHeight, Palette.At(i), $"{part.Label}: {Format(part.Value, quantity)}");
            start += part.Value;
        }

        var axisY = BarTop + BarHeight + 6;
        svg.Line(Left, axisY, Left + plotWidth, axisY, Palette.Axis);
        foreach (var tick in axis.Ticks())
        {
            svg.Line(X(tick), axisY, X(tick), axisY + 4, Palette.Axis);
            svg.Text(X(tick), axisY + 16, axis.Label(tick), "middle", 11);
        }

        svg.Text(Left + plotWidth + 18, axisY + 16, axis.Unit, size: 11);

        if (limit is { } l)
        {
            svg.Line(X(l.Value), BarTop - 8, X(l.Value), axisY, Palette.Limit, 2, "5,3");
            var anchor = X(l.Value) > Left + plotWidth * 0.75 ? "end" : "start";
            svg.Text(X(l.Value) + (anchor == "end" ? -4 : 4), BarTop - 10, $"{l.Label} {Format(l.Value, quantity)}", anchor, 11, Palette.Limit);
        }

        // Legend: three entries a row, each with its value.
        var legendTop = axisY + 32;
        for (var i = 0; i < parts.Count; i++)
        {
            var x = Left + i % 3 * 205;
            var y = legendTop + i / 3 * 18;
            svg.Rect(x, y - 9, 10, 10, Palette.At(i));
            svg.Text(x + 15, y, $"{parts[i].Label} {Format(parts[i].Value, quantity)}", size: 11);
            svg.ExtendTo(y + 8);
        }

        return svg.ToString();
    }

    internal static string Format(double value, AxisQuantity quantity) => quantity switch
    {
        AxisQuantity.Seconds => Quantity.Seconds(value),
        AxisQuantity.Bytes => Quantity.Bytes(value),
        _ => Quantity.Rate(value, "tok"),
    };
}
