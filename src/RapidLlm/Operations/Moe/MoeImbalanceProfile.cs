namespace RapidLlm.Operations.Moe;

/// <summary>
/// Expert load factors under the one-hot-expert approximation: a single routed expert carries
/// <see cref="HotExpertFactor"/> times the balanced load, the other experts share what is left evenly, and the
/// rank that hosts the hot expert is the slowest rank, so its load sets the layer's latency.
/// </summary>
/// <param name="HotExpertFactor">Load of the hot expert relative to the balanced mean.</param>
/// <param name="ColdExpertFactor">Load of every other expert relative to the mean.</param>
/// <param name="HotRankFactor">Mean load of the hot rank's experts relative to the balanced mean.</param>
/// <param name="TotalExperts">Routed experts.</param>
/// <param name="ExpertsPerRank">Experts one rank hosts.</param>
internal sealed record MoeImbalanceProfile(
    double HotExpertFactor,
    double ColdExpertFactor,
    double HotRankFactor,
    int TotalExperts,
    int ExpertsPerRank)
{
    /// <summary>Whether any expert is hotter than the mean.</summary>
    public bool IsImbalanced => HotExpertFactor > 1.0;

    /// <summary>Builds the profile.</summary>
    /// <param name="imbalanceFactor">Configured <c>expert_imbalance_factor</c> (1 or more).</param>
    /// <param name="totalExperts">Routed experts.</param>
    /// <param name="expertsPerRank">Experts per rank.</param>
    /// <returns>The profile; the balanced one when the factor is 1 or there is a single expert.</returns>
    /// <exception cref="ArgumentException">The factor is below 1 or above the expert count.</exception>
    public static MoeImbalanceProfile For(double imbalanceFactor, int totalExperts, int expertsPerRank)
    {
        expertsPerRank = Math.Max(1, expertsPerRank);
        totalExperts = Math.Max(1, totalExperts);
        if (imbalanceFactor < 1.0)
            throw new ArgumentException(
                $"expert_imbalance_factor ({imbalanceFactor}) must be at least 1; 1 models perfectly balanced routing.");
        if (imbalanceFactor <= 1.0 || totalExperts <= 1)
            return new MoeImbalanceProfile(1.0, 1.0, 1.0, totalExperts, expertsPerRank);
        if (imbalanceFactor > totalExperts)
            throw new ArgumentException(
                $"expert_imbalance_factor ({imbalanceFactor}) cannot exceed num_experts ({totalExperts}): one hot expert cannot take more than every token.");
        var cold = (totalExperts - imbalanceFactor) / (totalExperts - 1);
        var hotRank = (imbalanceFactor + Math.Max(0, expertsPerRank - 1) * cold) / expertsPerRank;
        return new MoeImbalanceProfile(imbalanceFactor, cold, hotRank, totalExperts, expertsPerRank);
    }
}
