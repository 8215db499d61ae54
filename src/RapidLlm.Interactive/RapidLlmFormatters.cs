using Microsoft.DotNet.Interactive.Formatting;
using RapidLlm.Common;
using RapidLlm.Inference;
using RapidLlm.Memory;
using RapidLlm.Results;
using RapidLlm.Search;

namespace RapidLlm.Interactive;

/// <summary>
/// Registers how RapidLlm results display in a .NET Interactive kernel (Jupyter, Polyglot Notebooks, dotnet-repl):
/// HTML tables and SVG charts from <see cref="RapidLlmHtml"/>, and the results' own aligned text for plain-text hosts.
/// Loading the package with <c>#r "nuget: RapidLlm.Interactive"</c> calls <see cref="Register"/> through
/// <see cref="RapidLlmKernelExtension"/>; call it yourself in a kernel that loaded the assembly another way.
/// </summary>
public static class RapidLlmFormatters
{
    /// <summary>
    /// Registers the HTML and plain-text formatters of <see cref="TrainingEstimate"/>, <see cref="InferenceEstimate"/>,
    /// <see cref="MemoryEstimate"/>, <see cref="MemoryComponentBreakdown"/>, <see cref="GemmModeEstimate"/>,
    /// <see cref="ResultTable"/>, <see cref="EstimateSeries"/>, <see cref="SearchResult"/>, <see cref="SearchCandidate"/> and
    /// <see cref="SweepResult"/> with the kernel's formatter. Calling it again is harmless.
    /// </summary>
    public static void Register()
    {
        Add<TrainingEstimate>(e => e.ToHtml(), e => e.ToTable().ToString());
        Add<InferenceEstimate>(e => e.ToHtml(), e => e.ToTable().ToString());
        Add<MemoryEstimate>(e => e.ToHtml(), e => e.ToTable().ToString());
        Add<MemoryComponentBreakdown>(b => b.ToHtml(), Text);
        Add<GemmModeEstimate>(e => e.ToHtml(), e => e.ToTable().ToString());
        Add<ResultTable>(t => t.ToHtml(), t => t.ToString());
        Add<EstimateSeries>(s => s.ToHtml(), s => s.ToString());
        Add<SearchResult>(r => r.ToHtml(), r => r.ToMarkdown(20));
        Add<SearchCandidate>(c => c.ToHtml(), c => RapidLlmHtml.CandidateTable(c).ToString());
        Add<SweepResult>(s => s.ToHtml(), s => s.ToMarkdown());
    }

    private static string Text(MemoryComponentBreakdown breakdown)
    {
        var parts = SvgCharts.Components(breakdown);
        var width = parts.Max(p => p.Label.Length);
        return "Memory per GPU at the peak, by component\n"
            + string.Join("\n", parts.Select(p => "  " + p.Label.PadRight(width) + "  " + Quantity.Bytes(p.Value)))
            + "\n  " + "total".PadRight(width) + "  " + Quantity.Bytes(breakdown.TotalBytes);
    }

    private static void Add<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatter.Register(html, HtmlFormatter.MimeType);
        Formatter.Register(text, PlainTextFormatter.MimeType);
    }
}
