namespace RapidLlm.Search;

/// <summary>How far a search or sweep has got; reported after every candidate, in order (monotone).</summary>
/// <param name="Completed">Candidates done (estimated, pruned or rejected).</param>
/// <param name="Total">Candidates in this run (this shard's slice).</param>
/// <param name="Feasible">Candidates so far that fit in memory.</param>
public readonly record struct SearchProgress(int Completed, int Total, int Feasible)
{
    /// <summary>The fraction done, in [0, 1]; 1 for an empty run.</summary>
    public double Fraction => Total == 0 ? 1 : Completed / (double)Total;
}
