using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Search;

namespace RapidLlm.Interactive;

/// <summary>What a search ranks by, as a value, a name and a text with units, shared by its table and its chart.</summary>
internal static class SearchDisplay
{
    /// <summary>Each candidate's place in the ranking, from 1.</summary>
    public static Dictionary<SearchCandidate, int> Ranks(SearchResult result)
    {
        var ranks = new Dictionary<SearchCandidate, int>(result.Candidates.Count);
        for (var i = 0; i < result.Candidates.Count; i++) ranks.TryAdd(result.Candidates[i], i + 1);
        return ranks;
    }

    /// <summary>The figure the objective ranks by, in its own unit (seconds, or tokens per second).</summary>
    public static double ObjectiveValue(SearchCandidate candidate, SearchObjective objective) => objective switch
    {
        SearchObjective.Throughput => candidate.TokensPerSecond,
        SearchObjective.TimeToFirstToken => candidate.TimeToFirstTokenSeconds ?? double.NaN,
        _ => candidate.TimePerBatchSeconds ?? candidate.TotalSeconds ?? double.NaN,
    };

    /// <summary>The objective's figure for people: "21.76 s per batch", "8289.8 tok/s".</summary>
    public static string ObjectiveText(SearchCandidate candidate, SearchObjective objective)
    {
        var value = ObjectiveValue(candidate, objective);
        return objective switch
        {
            SearchObjective.Throughput => Quantity.Rate(value, "tok"),
            SearchObjective.TimeToFirstToken => "TTFT " + Quantity.Seconds(value),
            _ => Quantity.Seconds(value) + (candidate.RunType == RunType.Training ? " per batch" : " total"),
        };
    }

    /// <summary>The objective's name: "time per batch", "total time", "time to first token", "tokens per second".</summary>
    public static string ObjectiveName(RunType runType, SearchObjective objective) => objective switch
    {
        SearchObjective.Throughput => runType == RunType.Training ? "trained tokens per second" : "generated tokens per second",
        SearchObjective.TimeToFirstToken => "time to first token",
        _ => runType == RunType.Training ? "time per batch" : "total time",
    };
}
