using System.Globalization;
using System.Text;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Memory;

namespace RapidLlm.Search;

/// <summary>
/// The outcome of a configuration search (or of one shard of it): the estimated candidates, ranked (those that fit
/// first, by the objective; then the others by peak memory), and the counts. Plain immutable data with value
/// equality; <see cref="ToJson"/> is the command line's <c>rapid-llm-search/1</c> document and <see cref="FromJson"/>
/// reads it back exactly.
/// </summary>
/// <param name="RunType">Training or inference.</param>
/// <param name="Gpus">GPUs each candidate uses.</param>
/// <param name="Objective">What the candidates that fit are ranked by.</param>
/// <param name="Shard">The slice of the candidate list this result covers (1/1 for a whole search).</param>
/// <param name="Candidates">The estimated candidates, ranked.</param>
/// <param name="Evaluated">Candidates estimated (timed and memory-simulated), before any <see cref="Take"/>.</param>
/// <param name="Feasible">Of those, the ones that fit.</param>
/// <param name="Pruned">Candidates skipped because their memory lower bound exceeded the capacity.</param>
/// <param name="Rejected">Candidates the validator rejected (e.g. MoE routing that does not divide).</param>
/// <param name="ParameterCount">The model's parameters.</param>
/// <param name="CapacityBytes">Per-GPU memory capacity.</param>
/// <param name="MemoryHeadroom">The fraction of memory kept free when deciding what fits.</param>
public sealed record SearchResult(
    RunType RunType,
    int Gpus,
    SearchObjective Objective,
    SearchShard Shard,
    EquatableArray<SearchCandidate> Candidates,
    int Evaluated,
    int Feasible,
    int Pruned,
    int Rejected,
    long ParameterCount,
    double CapacityBytes,
    double MemoryHeadroom)
{
    /// <summary>The schema name of the JSON document.</summary>
    public const string Schema = "rapid-llm-search/1";

    /// <summary>
    /// A digest of the search's hardware, model and options (not its shard or thread count): every shard of one search
    /// has the same, and <see cref="Merge"/> refuses shards whose digests differ. Null for documents written before it.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>How many candidates were kept by <see cref="Take"/>; null when all are listed.</summary>
    public int? Top { get; init; }

    /// <summary>The best candidate that fits, or null when none fits.</summary>
    public SearchCandidate? Best => Candidates.Count > 0 && Candidates[0].Fits ? Candidates[0] : null;

    /// <summary>
    /// The candidates that fit and that no other fitting candidate beats on the objective, per-GPU peak memory and GPUs at
    /// once (the trade-offs worth looking at), best objective first.
    /// </summary>
    public EquatableArray<SearchCandidate> ParetoFront => new(ParetoFrontOf(Candidates, Objective));

    /// <summary>The first <paramref name="count"/> candidates (the counts keep describing the whole search).</summary>
    /// <param name="count">Candidates to keep, ≥ 0.</param>
    /// <returns>The shortened result, with <see cref="Top"/> set.</returns>
    public SearchResult Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return this with { Candidates = new EquatableArray<SearchCandidate>(Candidates.Take(count)), Top = count };
    }

    /// <summary>Puts the shards of one search back together: exactly the result of the unsharded search.</summary>
    /// <param name="shards">Every shard (1/N … N/N, each once) of the same search.</param>
    /// <returns>The whole result.</returns>
    /// <exception cref="ArgumentException">The shards are missing, repeated or from different searches; the message says which.</exception>
    public static SearchResult Merge(IEnumerable<SearchResult> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var list = shards.ToList();
        if (list.Count == 0) throw new ArgumentException("There are no shards to merge.");
        var first = list[0];
        var count = first.Shard.Count;
        foreach (var s in list)
        {
            if (s.RunType != first.RunType || s.Gpus != first.Gpus || s.Objective != first.Objective || s.ParameterCount != first.ParameterCount
                || !s.CapacityBytes.Equals(first.CapacityBytes) || !s.MemoryHeadroom.Equals(first.MemoryHeadroom) || s.Top != first.Top)
                throw new ArgumentException($"Shard {s.Shard} is from a different search than shard {first.Shard} (run type, GPUs, objective, model, capacity, headroom or top differ).");
            if (s.Fingerprint is not null && first.Fingerprint is not null && s.Fingerprint != first.Fingerprint)
                throw new ArgumentException($"Shard {s.Shard} is from a different search than shard {first.Shard}: the hardware, the model or the search options differ (fingerprint {s.Fingerprint}, not {first.Fingerprint}).");
            if (s.Shard.Count != count)
                throw new ArgumentException($"Shard {s.Shard} splits the search into {s.Shard.Count} slices, shard {first.Shard} into {count}.");
        }

        var indices = list.Select(s => s.Shard.Index).Order().ToList();
        if (!indices.SequenceEqual(Enumerable.Range(1, count)))
        {
            // A shard may claim a count of billions: only the first few missing ones are spelled out.
            var missingCount = count - indices.Distinct().Count();
            var missing = Enumerable.Range(1, count).Except(indices).Take(MaxListedShards).Select(i => $"{i}/{count}");
            var repeated = indices.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => $"{g.Key}/{count}").ToList();
            throw new ArgumentException(
                $"The shards do not make up the whole search: {string.Join("; ", new[] { Listed("missing", missing, missingCount), Listed("repeated", repeated, repeated.Count) }.Where(t => t.Length > 0))}.");
        }

        IEnumerable<SearchCandidate> ranked = SearchRanking.Rank(list.SelectMany(s => s.Candidates), first.Objective);
        if (first.Top is { } top) ranked = ranked.Take(top);
        return first with
        {
            Shard = SearchShard.Whole,
            Candidates = new EquatableArray<SearchCandidate>(ranked),
            Evaluated = list.Sum(s => s.Evaluated),
            Feasible = list.Sum(s => s.Feasible),
            Pruned = list.Sum(s => s.Pruned),
            Rejected = list.Sum(s => s.Rejected),
        };
    }

    /// <summary>A summary line: what was searched and the best candidate.</summary>
    /// <returns>Text.</returns>
    public override string ToString() =>
        $"Search ({RunType.ToString().ToLowerInvariant()}, {Gpus} GPUs, by {SearchJson.ObjectiveName(Objective)}{(Shard.IsWhole ? "" : ", shard " + Shard)}): "
        + $"{Evaluated} estimated, {Feasible} fit, {Pruned} pruned, {Rejected} rejected; "
        + (Best is { } best ? "best " + best : "nothing fits");

    /// <summary>A Markdown table of the first <paramref name="rows"/> candidates, with units.</summary>
    /// <param name="rows">Rows to show; null shows every candidate.</param>
    /// <returns>Markdown ending in a newline.</returns>
    public string ToMarkdown(int? rows = 10)
    {
        var text = new StringBuilder();
        text.Append("### Configuration search: ").Append(Gpus).Append(" GPUs, ").Append(RunType.ToString().ToLowerInvariant())
            .Append(", by ").Append(SearchJson.ObjectiveName(Objective)).Append("\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{Evaluated} estimated, {Feasible} fit, {Pruned} pruned by the memory bound, {Rejected} rejected; {Quantity.Bytes(CapacityBytes)} per GPU.\n\n");
        var training = RunType == RunType.Training;
        text.Append(training
            ? "| # | tp | cp | pp | dp | ep | mb | ZeRO | recompute | schedule | time per batch | tokens/s | MFU | peak per GPU | fits |\n|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---|\n"
            : "| # | tp | cp | pp | replicas | batch | total | TTFT | tokens/s | MFU | peak per GPU | fits |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        var rank = 0;
        foreach (var c in Candidates.Take(rows ?? int.MaxValue))
        {
            var p = c.Point;
            rank++;
            var mfu = (c.ModelFlopsUtilization * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";
            text.Append(training
                ? string.Create(CultureInfo.InvariantCulture,
                    $"| {rank} | {p.TensorLabel} | {p.ContextParallel} | {p.PipelineStages} | {p.DataParallel} | {p.ExpertParallel} | {p.MicroBatches} | {p.ZeroStage} | {p.RecomputeName} | {p.Schedule} | {Quantity.Seconds(c.TimePerBatchSeconds ?? 0)} | {Quantity.Rate(c.TokensPerSecond, "tok")} | {mfu} | {Quantity.Bytes(c.PeakMemoryBytes)} | {(c.Fits ? "yes" : "no")} |\n")
                : string.Create(CultureInfo.InvariantCulture,
                    $"| {rank} | {p.TensorLabel} | {p.ContextParallel} | {p.PipelineStages} | {p.Replicas} | {p.Batch} | {Quantity.Seconds(c.TotalSeconds ?? 0)} | {Quantity.Seconds(c.TimeToFirstTokenSeconds ?? 0)} | {Quantity.Rate(c.TokensPerSecond, "tok")} | {mfu} | {Quantity.Bytes(c.PeakMemoryBytes)} | {(c.Fits ? "yes" : "no")} |\n"));
        }

        return text.ToString();
    }

    /// <summary>CSV with one row per candidate and the JSON candidates' keys as columns (values as in the JSON: seconds, GiB, joules).</summary>
    /// <returns>CSV text ending in a newline.</returns>
    public string ToCsv() => SearchJson.Csv(this);

    /// <summary>The <c>rapid-llm-search/1</c> JSON document (the command line's <c>--json</c>).</summary>
    /// <param name="indented">Indent the output; default true.</param>
    /// <returns>JSON text.</returns>
    public string ToJson(bool indented = true) => SearchJson.Write(this, indented);

    /// <summary>Reads a <c>rapid-llm-search/1</c> document written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The result; writing it again gives the same text.</returns>
    /// <exception cref="FormatException">The text is not such a document; the message says what is wrong.</exception>
    public static SearchResult FromJson(string json) => SearchJson.Read(json);

    private const int MaxListedShards = 10;

    private static string Listed(string what, IEnumerable<string> items, int total)
    {
        var list = items.Take(MaxListedShards).ToList();
        if (list.Count == 0) return "";
        var more = total - list.Count;
        return what + " " + string.Join(", ", list) + (more > 0 ? $" and {more} more" : "");
    }

    private static List<SearchCandidate> ParetoFrontOf(IEnumerable<SearchCandidate> candidates, SearchObjective objective)
    {
        // In (objective, memory, GPUs) order a candidate's dominators all come before it, so comparing with the kept front suffices.
        var front = new List<SearchCandidate>();
        var ordered = candidates.Where(c => c.Fits).ToList();
        ordered.Sort((a, b) =>
        {
            var c = a.RankingValue(objective).CompareTo(b.RankingValue(objective));
            if (c == 0) c = a.PeakMemoryBytes.CompareTo(b.PeakMemoryBytes);
            if (c == 0) c = a.Gpus.CompareTo(b.Gpus);
            return c != 0 ? c : SearchRanking.CompareAxes(a.Point, b.Point);
        });
        foreach (var c in ordered)
        {
            var value = c.RankingValue(objective);
            if (front.Any(f => Dominates(f, c, objective, value))) continue;
            front.Add(c);
        }

        return front;
    }

    private static bool Dominates(SearchCandidate a, SearchCandidate b, SearchObjective objective, double bValue)
    {
        var aValue = a.RankingValue(objective);
        if (aValue > bValue || a.PeakMemoryBytes > b.PeakMemoryBytes || a.Gpus > b.Gpus) return false;
        return aValue < bValue || a.PeakMemoryBytes < b.PeakMemoryBytes || a.Gpus < b.Gpus;
    }
}
