using System.Text;
using RapidLlm.Common;
using RapidLlm.Inference;
using RapidLlm.Interactive.Charts;
using RapidLlm.Memory;
using RapidLlm.Results;

namespace RapidLlm.Interactive;

/// <summary>
/// HTML fragments of RapidLlm results: a table of the figures with units, followed by an inline SVG chart where a
/// picture helps. Notebooks use them through <see cref="RapidLlmFormatters"/>; any other host can write them to a page.
/// </summary>
public static partial class RapidLlmHtml
{
    /// <summary>The figures of a result table as an HTML table with a caption.</summary>
    /// <param name="table">The table (every estimate's <c>ToTable()</c>).</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this ResultTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var html = new StringBuilder();
        AppendTable(html, table);
        return Wrap(html);
    }

    /// <summary>A training estimate: its figures, then the memory of one GPU at the peak against its capacity.</summary>
    /// <param name="estimate">The estimate.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this TrainingEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        return Compose(estimate.ToTable(), estimate.Memory is { } m ? SvgCharts.MemoryBreakdown(m) : null);
    }

    /// <summary>An inference estimate: its figures, then the memory of one GPU at the peak against its capacity.</summary>
    /// <param name="estimate">The estimate.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this InferenceEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        return Compose(estimate.ToTable(), estimate.Memory is { } m ? SvgCharts.MemoryBreakdown(m) : null);
    }

    /// <summary>A memory estimate: peaks, capacity, headroom and components, then the breakdown chart.</summary>
    /// <param name="estimate">The estimate.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this MemoryEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        return Compose(estimate.ToTable(), SvgCharts.MemoryBreakdown(estimate));
    }

    /// <summary>The memory one GPU holds at its peak, by component, as a table (bytes and share of the peak) and a chart.</summary>
    /// <param name="breakdown">The breakdown (<c>memory.PeakBreakdown</c>).</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this MemoryComponentBreakdown breakdown)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        var html = new StringBuilder();
        html.Append("<table>\n<caption>Memory per GPU at the peak, by component</caption>\n")
            .Append("<thead><tr><th style=\"text-align:left\">Component</th><th style=\"text-align:right\">Memory</th><th style=\"text-align:right\">Share</th></tr></thead>\n<tbody>\n");
        foreach (var part in SvgCharts.Components(breakdown))
        {
            var share = breakdown.TotalBytes > 0 ? part.Value / breakdown.TotalBytes : 0;
            html.Append("<tr><td style=\"text-align:left\">").Append(Encode(part.Label)).Append("</td><td style=\"text-align:right\">")
                .Append(Encode(Quantity.Bytes(part.Value))).Append("</td><td style=\"text-align:right\">")
                .Append((share * 100).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).Append(" %</td></tr>\n");
        }

        html.Append("<tr><td style=\"text-align:left\"><strong>total</strong></td><td style=\"text-align:right\"><strong>")
            .Append(Encode(Quantity.Bytes(breakdown.TotalBytes))).Append("</strong></td><td></td></tr>\n</tbody>\n</table>\n");
        return Wrap(html);
    }

    /// <summary>A GEMM estimate: its figures, then where its time goes.</summary>
    /// <param name="estimate">The estimate.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this GemmModeEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        return Compose(estimate.ToTable(), SvgCharts.TimeBreakdown(estimate));
    }

    /// <summary>A sweep: one table row per setting, then time and peak memory per GPU (against capacity) as two charts.</summary>
    /// <param name="series">The series.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(this EstimateSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var html = new StringBuilder();
        html.Append("<table>\n<caption>").Append(Encode(series.Title)).Append("</caption>\n<thead><tr>");
        var header = series.Header();
        for (var i = 0; i < header.Length; i++) html.Append("<th style=\"text-align:").Append(i == 0 ? "left" : "right").Append("\">").Append(Encode(header[i])).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in series.Rows())
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++) html.Append("<td style=\"text-align:").Append(i == 0 ? "left" : "right").Append("\">").Append(Encode(row[i])).Append("</td>");
            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n<div style=\"display:flex;flex-wrap:wrap;gap:12px\">\n")
            .Append(SvgCharts.Time(series)).Append('\n');
        if (series.Points.Any(p => p.PeakMemoryBytes is not null)) html.Append(SvgCharts.Memory(series)).Append('\n');
        html.Append("</div>\n");
        return Wrap(html);
    }

    private static string Compose(ResultTable table, string? chart)
    {
        var html = new StringBuilder();
        AppendTable(html, table);
        if (chart is not null) html.Append(chart).Append('\n');
        return Wrap(html);
    }

    private static void AppendTable(StringBuilder html, ResultTable table)
    {
        html.Append("<table>\n<caption>").Append(Encode(table.Title)).Append("</caption>\n")
            .Append("<thead><tr><th style=\"text-align:left\">Metric</th><th style=\"text-align:right\">Value</th></tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr><td style=\"text-align:left\">").Append(Encode(row.Metric.Trim())).Append("</td><td style=\"text-align:right\">")
                .Append(Encode(row.Display)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static string Wrap(StringBuilder inner) => "<div class=\"rapidllm\">\n" + inner + "</div>";

    private static string Encode(string text) => Markup.Escape(text);
}
