using System.Globalization;
using System.Text;

namespace RapidLlm.Interactive.Charts;

/// <summary>Writes one self-contained SVG element: shapes and text in user units, numbers in the invariant culture.</summary>
internal sealed class SvgDocument
{
    private readonly StringBuilder _body = new();

    public SvgDocument(double width, double height, string title)
    {
        Width = width;
        Height = height;
        Title = title;
    }

    public double Width { get; }

    public double Height { get; private set; }

    public string Title { get; }

    /// <summary>Grows the drawing downwards once the content below the plot (a legend) is known.</summary>
    public void ExtendTo(double height) => Height = Math.Max(Height, height);

    public void Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? dash = null)
    {
        _body.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1)).Append("\" x2=\"").Append(N(x2))
            .Append("\" y2=\"").Append(N(y2)).Append("\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(strokeWidth)).Append('"');
        if (dash is not null) _body.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        _body.Append("/>\n");
    }

    public void Rect(double x, double y, double width, double height, string fill, string? tooltip = null)
    {
        _body.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(Math.Max(0, width)))
            .Append("\" height=\"").Append(N(Math.Max(0, height))).Append("\" fill=\"").Append(fill).Append('"');
        CloseWithTooltip("rect", tooltip);
    }

    public void Circle(double cx, double cy, double radius, string fill, string stroke, string? tooltip = null)
    {
        _body.Append("<circle cx=\"").Append(N(cx)).Append("\" cy=\"").Append(N(cy)).Append("\" r=\"").Append(N(radius))
            .Append("\" fill=\"").Append(fill).Append("\" stroke=\"").Append(stroke).Append("\" stroke-width=\"1.5\"");
        CloseWithTooltip("circle", tooltip);
    }

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double strokeWidth = 2, string? dash = null)
    {
        _body.Append("<polyline fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(strokeWidth)).Append('"');
        if (dash is not null) _body.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        _body.Append(" points=\"").AppendJoin(' ', points.Select(p => N(p.X) + "," + N(p.Y))).Append("\"/>\n");
    }

    /// <summary>Text at a point; <paramref name="anchor"/> is start, middle or end.</summary>
    public void Text(double x, double y, string text, string anchor = "start", double size = 12, string fill = "#333", bool bold = false, double rotate = 0)
    {
        _body.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" text-anchor=\"").Append(anchor)
            .Append("\" font-size=\"").Append(N(size)).Append("\" fill=\"").Append(fill).Append('"');
        if (bold) _body.Append(" font-weight=\"bold\"");
        if (rotate != 0) _body.Append(" transform=\"rotate(").Append(N(rotate)).Append(' ').Append(N(x)).Append(' ').Append(N(y)).Append(")\"");
        _body.Append('>').Append(Markup.Escape(text)).Append("</text>\n");
    }

    public override string ToString()
    {
        var svg = new StringBuilder();
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(N(Width)).Append("\" height=\"").Append(N(Height))
            .Append("\" viewBox=\"0 0 ").Append(N(Width)).Append(' ').Append(N(Height))
            .Append("\" role=\"img\" font-family=\"sans-serif\">\n<title>").Append(Markup.Escape(Title)).Append("</title>\n")
            .Append(_body).Append("</svg>");
        return svg.ToString();
    }

    private void CloseWithTooltip(string element, string? tooltip)
    {
        if (tooltip is null)
        {
            _body.Append("/>\n");
            return;
        }

        _body.Append("><title>").Append(Markup.Escape(tooltip)).Append("</title></").Append(element).Append(">\n");
    }

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
