using System.Globalization;
using System.Text;
using RapidLlm.Inference;

namespace RapidLlm.Reports;

/// <summary>
/// The reference's inference text, character for character: the lines printed while computing, the queued RESULTS
/// lines and the body of <c>LLM_inference_results.txt</c> (newest reference semantics: replica_count wording).
/// </summary>
internal static class InferenceReportText
{
    /// <summary>Where the reference writes the results file, relative to the working directory.</summary>
    public const string DefaultResultsPath = "output/LLM/LLM_inference_results.txt";

    private const string Border = "==============================================";

    /// <summary>
    /// Lines printed during the computation, in order: prefill/decode skip notices, one line per decode sample, the
    /// integration segments and tail, the decode total, then the time, KV-cache (models with a cache) and energy summaries.
    /// </summary>
    /// <param name="estimate">The estimate.</param>
    /// <returns>Lines without terminators.</returns>
    public static IReadOnlyList<string> ComputationLines(InferenceEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var lines = new List<string>();
        if (estimate.PrefillSkipped) lines.Add("Skipping prefill");
        if (estimate.Integral is null)
        {
            lines.Add("Skipping decode");
        }
        else
        {
            foreach (var sample in estimate.Samples)
                lines.Add(Invariant($"[decode] sample step {sample.Step}: seq_len={sample.KvLengthTokens}, time={F4(sample.TimeSeconds)}s"));
            foreach (var segment in estimate.Integral.Segments)
            {
                lines.Add(Invariant(
                    $"[decode] integration segment {segment.FromStep}->{segment.ToStep}: width={segment.Width}, midpoint={F4(segment.MidpointSeconds)}s, contribution={F4(segment.ContributionSeconds)}s"));
            }

            if (estimate.Integral.Tail is { } tail)
            {
                lines.Add(Invariant(
                    $"[decode] integration tail from {tail.FromStep} covering {tail.Steps} steps: contribution={F4(tail.ContributionSeconds)}s"));
            }

            lines.Add(Invariant(
                $"[decode] total interpolated decode time: {F4(estimate.Integral.TimeSeconds)}s, energy: {F4(estimate.Integral.EnergyJoules)}J from {estimate.Samples.Count} samples"));
        }

        lines.Add($"[prefill] time: {F4(estimate.PrefillSeconds)}s, [decode] time: {F4(estimate.DecodeSeconds)}s, [total] time: {F4(estimate.TotalSeconds)}s");
        var kv = estimate.KvCache;
        if (estimate.Settings.CachesKeysAndValues)
            lines.Add($"[kv-cache] prefill_store={GibOrTib(kv.PrefillStoreBytes)}, decode_store={GibOrTib(kv.DecodeStoreBytes)}, decode_fetch={GibOrTib(kv.DecodeFetchBytes)}");
        var e = estimate.Energy;
        lines.Add(
            $"[prefill] energy: {Si(e.PrefillJoules)}J, energy/tok: {Si(e.PrefillJoulesPerToken)}J " +
            $"[decode] energy: {Si(e.DecodeJoules)}J, energy/tok: {Si(e.DecodeJoulesPerToken)}J " +
            $"[total] energy: {Si(e.TotalJoules)}J, energy/tok: {Si(e.TotalJoulesPerToken)}J");
        return lines;
    }

    /// <summary>The lines queued for the RESULTS block.</summary>
    /// <param name="estimate">The estimate.</param>
    /// <param name="executionMode">The execution mode's name (<c>analytical</c>, <c>hybrid</c>, …).</param>
    /// <param name="resultsPath">The results file path as printed.</param>
    /// <returns>Lines without terminators.</returns>
    public static IReadOnlyList<string> ResultLines(
        InferenceEstimate estimate, string executionMode, string resultsPath = DefaultResultsPath)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(executionMode);
        var lines = new List<string>
        {
            $"LLM inference time: {F2(estimate.TotalSeconds)}s (mode={executionMode})",
            $"LLM time to first token: {F2(estimate.TimeToFirstTokenSeconds)}s",
        };
        var replicas = estimate.Settings.ReplicaCount;
        if (replicas > 1) lines.Add(Invariant($"Inference replicas: {replicas}"));
        if (estimate.Rates is { } r && estimate.Throughput is { } t)
        {
            lines.Add(Invariant(
                $"Decode tok/s per sequence: start={F2(r.StartTokensPerSecond)}, mid(token {r.MidpointStep})={F2(r.MidpointTokensPerSecond)}, end={F2(r.EndTokensPerSecond)}"));
            lines.Add(Invariant(
                $"Aggregate decode throughput tok/s (batch={t.BatchSize}, replica_count={t.ReplicaCount}): start={F2(t.StartTokensPerSecond)}, mid(token {r.MidpointStep})={F2(t.MidpointTokensPerSecond)}, end={F2(t.EndTokensPerSecond)}"));
        }

        lines.Add($"LLM inference results written to {resultsPath}");
        return lines;
    }

    /// <summary>The full text of <c>LLM_inference_results.txt</c>.</summary>
    /// <param name="estimate">The estimate.</param>
    /// <param name="executionMode">The execution mode's name.</param>
    /// <param name="topologyLines">The inference network-topology summary lines.</param>
    /// <returns>The file content ("\n" line ends).</returns>
    public static string ResultsFile(InferenceEstimate estimate, string executionMode, IReadOnlyList<string> topologyLines)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(executionMode);
        ArgumentNullException.ThrowIfNull(topologyLines);
        var text = new StringBuilder();
        text.Append("\n\n").Append(Border).Append('\n');
        text.Append("LLM Inference Results\n");
        text.Append(Border).Append('\n');
        text.Append("Execution Mode: ").Append(executionMode).Append('\n');
        text.Append("Inference Time for batch: ").Append(F2(estimate.TotalSeconds)).Append("s\n");
        text.Append("Prefill Time: ").Append(F3(estimate.PrefillSeconds)).Append("s\n");
        text.Append("Decode Time: ").Append(F3(estimate.DecodeSeconds)).Append("s\n");
        var replicas = estimate.Settings.ReplicaCount;
        if (replicas > 1) text.Append(Invariant($"Inference Replicas: {replicas}\n"));
        text.Append("Time to First Token: ").Append(F3(estimate.TimeToFirstTokenSeconds)).Append("s\n");
        if (estimate.Rates is { } r && estimate.Throughput is { } t)
        {
            text.Append(Invariant(
                $"Decode Generations per Second: start={F2(r.StartTokensPerSecond)}, mid(token {r.MidpointStep})={F2(r.MidpointTokensPerSecond)}, end={F2(r.EndTokensPerSecond)}\n"));
            text.Append(Invariant(
                $"Aggregate Decode Throughput Tok/s (batch={t.BatchSize}, replica_count={t.ReplicaCount}): start={F2(t.StartTokensPerSecond)}, mid(token {r.MidpointStep})={F2(t.MidpointTokensPerSecond)}, end={F2(t.EndTokensPerSecond)}\n"));
        }

        text.Append('\n');
        text.Append(string.Join("\n", topologyLines)).Append('\n');
        return text.ToString();
    }

    /// <summary>The reference's KV-cache size text: "{GiB:.1f} GiB", or "{TiB:.1f} TiB" above 1024 GiB.</summary>
    /// <param name="bytes">Bytes.</param>
    /// <returns>Text.</returns>
    public static string GibOrTib(double bytes)
    {
        var gib = bytes / (1024.0 * 1024.0 * 1024.0);
        return gib > 1024 ? PythonNumberFormat.Fixed(gib / 1024, 1) + " TiB" : PythonNumberFormat.Fixed(gib, 1) + " GiB";
    }

    private static string F2(double value) => PythonNumberFormat.Fixed(value, 2);

    private static string F3(double value) => PythonNumberFormat.Fixed(value, 3);

    private static string F4(double value) => PythonNumberFormat.Fixed(value, 4);

    private static string Si(double value) => SiPrefixFormat.Format(value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
