namespace RapidLlm.Operations.Moe;

/// <summary>
/// How many tokens one MoE layer moves and computes on one rank. Balanced counts size the dispatch traffic and the
/// expert GEMM buckets; the imbalanced local count is the hot rank's load that the activation kernels see.
/// </summary>
/// <param name="TokensOwned">Tokens this rank owns before routing (batch × its sequence slice).</param>
/// <param name="TokensDispatched">Balanced routed tokens of the group slice (owned × top_k, padded in inference).</param>
/// <param name="TokensLocalBalanced">Balanced routed tokens arriving at one rank.</param>
/// <param name="TokensLocal">Tokens at the hot rank once expert imbalance is applied.</param>
/// <param name="ExpertsPerRank">Experts one rank hosts.</param>
/// <param name="TokensPerExpert">Balanced tokens per local expert.</param>
/// <param name="TokensShared">Tokens the shared experts process (owned × shared experts).</param>
internal sealed record MoeTokenRouting(
    long TokensOwned,
    long TokensDispatched,
    long TokensLocalBalanced,
    long TokensLocal,
    int ExpertsPerRank,
    long TokensPerExpert,
    long TokensShared)
{
    /// <summary>Routes the tokens of one micro-batch.</summary>
    /// <param name="spec">The MoE layer.</param>
    /// <param name="batch">Sequences in the costed batch.</param>
    /// <param name="sequence">Tokens per sequence.</param>
    /// <param name="cp">Context-parallel degree (each rank owns a sequence slice).</param>
    /// <returns>The token counts.</returns>
    /// <exception cref="ArgumentException">Without padding, the routed tokens do not split evenly over ranks or experts.</exception>
    public static MoeTokenRouting For(MoeLayerSpec spec, long batch, long sequence, int cp)
    {
        var owned = batch * (cp > 1 ? (sequence + cp - 1) / cp : sequence);
        var dispatched = owned * spec.TopK;
        var group = Math.Max(1, spec.RoutingGroup);
        if (spec.AllowPadding)
            dispatched = CeilDiv(dispatched, group) * group;
        else if (dispatched % group != 0)
            throw new ArgumentException(
                $"The {dispatched} routed tokens (owned {owned} × top_k {spec.TopK}) must divide evenly over the MoE routing group of {group} ranks.");
        var local = dispatched / group;
        var experts = spec.ExpertsPerRank;
        if (local % experts != 0)
        {
            if (!spec.AllowPadding)
                throw new ArgumentException(
                    $"The {local} routed tokens per rank must divide evenly over its {experts} experts.");
            local = CeilDiv(local, experts) * experts;
            dispatched = local * group;
        }
        var hot = HotRankTokens(local, experts, spec.Imbalance);
        return new MoeTokenRouting(owned, dispatched, local, hot, experts, local / experts, owned * spec.SharedExperts);
    }

    /// <summary>
    /// The hot rank's effective load: one expert at the hot factor (rounded up), the rest at the cold factor
    /// (rounded down), never below the balanced load.
    /// </summary>
    /// <param name="tokensLocal">Balanced tokens at one rank.</param>
    /// <param name="expertsPerRank">Experts per rank.</param>
    /// <param name="profile">The imbalance profile.</param>
    /// <returns>Tokens.</returns>
    public static long HotRankTokens(long tokensLocal, int expertsPerRank, MoeImbalanceProfile profile)
    {
        expertsPerRank = Math.Max(1, expertsPerRank);
        if (!profile.IsImbalanced || tokensLocal <= 0) return tokensLocal;
        var perExpert = tokensLocal / expertsPerRank;
        if (perExpert <= 0) return tokensLocal;
        var (hot, cold) = HotAndColdTokens(perExpert, profile);
        return Math.Max(tokensLocal, hot + cold * Math.Max(0, expertsPerRank - 1));
    }

    /// <summary>
    /// The hot rank's expert GEMMs: one batched GEMM over all local experts when balanced, else one for the hot expert
    /// and one for the remaining (colder) experts, sized so that together they carry the hot rank's load.
    /// </summary>
    /// <param name="profile">The imbalance profile.</param>
    /// <returns>The buckets, in the reference's order (hot first).</returns>
    public IReadOnlyList<ExpertBucket> ComputeBuckets(MoeImbalanceProfile profile)
    {
        if (TokensPerExpert <= 0) return [];
        if (!profile.IsImbalanced || ExpertsPerRank <= 1)
            return [new ExpertBucket(ExpertsPerRank, TokensPerExpert, ExpertBucketKind.Uniform)];
        var target = HotRankTokens(TokensPerExpert * ExpertsPerRank, ExpertsPerRank, profile);
        var (hot, cold) = HotAndColdTokens(TokensPerExpert, profile);
        var remaining = Math.Max(0, ExpertsPerRank - 1);
        // Rounding the cold share down can lose tokens; spread the shortfall so the buckets still carry the target load.
        if (remaining > 0 && hot + cold * remaining < target)
            cold = CeilDiv(Math.Max(0, target - hot), remaining);
        var buckets = new List<ExpertBucket> { new(1, hot, ExpertBucketKind.Hot) };
        if (remaining > 0 && cold > 0) buckets.Add(new ExpertBucket(remaining, cold, ExpertBucketKind.Cold));
        return buckets;
    }

    private static (long Hot, long Cold) HotAndColdTokens(long perExpert, MoeImbalanceProfile profile)
    {
        var hot = Math.Max(perExpert, (long)Math.Ceiling(perExpert * profile.HotExpertFactor));
        var cold = Math.Max(0, (long)Math.Floor(perExpert * profile.ColdExpertFactor));
        return (hot, cold);
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
