using RapidLlm.Configuration;

namespace RapidLlm.Search;

/// <summary>
/// The order of a search's candidates: those that fit first, by the objective; then those that do not, by peak memory.
/// Ties fall back to the candidate's axes in enumeration order, so the order is total and a merge of shards
/// reproduces the unsharded one exactly.
/// </summary>
internal static class SearchRanking
{
    public static List<SearchCandidate> Rank(IEnumerable<SearchCandidate> candidates, SearchObjective objective)
    {
        var list = candidates.ToList();
        list.Sort((a, b) => Compare(a, b, objective));
        return list;
    }

    public static int Compare(SearchCandidate a, SearchCandidate b, SearchObjective objective)
    {
        if (a.Fits != b.Fits) return a.Fits ? -1 : 1;
        var byValue = a.Fits
            ? a.RankingValue(objective).CompareTo(b.RankingValue(objective))
            : a.PeakMemoryBytes.CompareTo(b.PeakMemoryBytes);
        return byValue != 0 ? byValue : CompareAxes(a.Point, b.Point);
    }

    /// <summary>Enumeration order: tp, sequence parallelism (on first), cp, pp, ep (dp follows), micro-batches, ZeRO, recompute, schedule; inference tp, sequence parallelism, cp, pp, batch.</summary>
    public static int CompareAxes(SearchPoint a, SearchPoint b)
    {
        int c;
        if ((c = a.TensorParallel.CompareTo(b.TensorParallel)) != 0) return c;
        if ((c = b.SequenceParallel.CompareTo(a.SequenceParallel)) != 0) return c;
        if ((c = a.ContextParallel.CompareTo(b.ContextParallel)) != 0) return c;
        if ((c = a.PipelineStages.CompareTo(b.PipelineStages)) != 0) return c;
        if (a.RunType == RunType.Inference)
        {
            if ((c = a.Replicas.CompareTo(b.Replicas)) != 0) return c;
            return a.Batch.CompareTo(b.Batch);
        }

        if ((c = a.ExpertParallel.CompareTo(b.ExpertParallel)) != 0) return c;
        if ((c = a.DataParallel.CompareTo(b.DataParallel)) != 0) return c;
        if ((c = a.MicroBatches.CompareTo(b.MicroBatches)) != 0) return c;
        if ((c = a.ZeroStage.CompareTo(b.ZeroStage)) != 0) return c;
        if ((c = a.FullRecompute.CompareTo(b.FullRecompute)) != 0) return c;
        if ((c = a.Schedule.Kind.CompareTo(b.Schedule.Kind)) != 0) return c;
        return a.Schedule.VirtualStages.CompareTo(b.Schedule.VirtualStages);
    }
}
