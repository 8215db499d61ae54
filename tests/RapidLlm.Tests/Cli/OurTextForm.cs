namespace RapidLlm.Tests.Cli;

/// <summary>
/// The reference's captured text with RapidLlm's documented text differences applied (docs/differences.md): no
/// opening blank lines on stdout, no pointer to the reference's examples/llm_astra_inference_debug_graphviz.sh, and the
/// per-sequence decode rate labelled with its unit. Every number and every line scripts parse stays as captured.
/// </summary>
internal static class OurTextForm
{
    public const string ReferenceRateLabel = "Decode sequences/s:";
    public const string RateLabel = "Decode tok/s per sequence:";
    public const string ReferenceExamplesLine = "For more info, turn on debug flags. See examples/llm_astra_inference_debug_graphviz.sh";

    /// <summary>A results file (LLM_training_results.txt, LLM_inference_results.txt) as RapidLlm writes it.</summary>
    public static string ResultsFile(string reference) => reference.Replace(ReferenceExamplesLine + "\n", "", StringComparison.Ordinal);

    /// <summary>Stdout as RapidLlm prints it.</summary>
    public static string Stdout(string reference)
    {
        var text = reference.Replace(ReferenceRateLabel, RateLabel, StringComparison.Ordinal);
        // The reference's log flush opens with two blank lines (before the topology block).
        var block = text.IndexOf("\n\n\n====", StringComparison.Ordinal);
        if (text.StartsWith("\n\n", StringComparison.Ordinal)) text = text[2..];
        else if (block >= 0) text = text[..(block + 1)] + text[(block + 3)..];
        return text;
    }

    /// <summary>Printed result lines as RapidLlm prints them.</summary>
    public static IReadOnlyList<string> Lines(IEnumerable<string> reference) =>
        reference.Select(l => l.Replace(ReferenceRateLabel, RateLabel, StringComparison.Ordinal)).ToList();
}
