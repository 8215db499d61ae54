namespace RapidLlm.Operations.Moe;

/// <summary>
/// What fixes the cost of one mixture-of-experts layer beyond the dense layer: the experts, how tokens are routed
/// to them and how the experts are spread over ranks.
/// </summary>
/// <param name="NumExperts">Routed experts E (more than one).</param>
/// <param name="TopK">Experts each token is routed to.</param>
/// <param name="ExpertIntermediateSize">Width of one expert's FFN (<c>moe_intermediate_size</c>).</param>
/// <param name="SharedExperts">Always-active shared experts; every rank runs them on all of its tokens.</param>
/// <param name="ExpertImbalanceFactor">Load of the hottest expert relative to the balanced mean (≥ 1; 1 is balanced).</param>
/// <param name="RoutingGroup">Ranks the experts are spread over: ep in training, tp × moe_dp in inference.</param>
/// <param name="TensorShardedExperts">Whether tp also shards each expert's weights (<c>tp_ep</c>; always false in inference).</param>
/// <param name="AllowPadding">Inference pads routed tokens up to whole multiples instead of rejecting uneven splits.</param>
internal sealed record MoeLayerSpec(
    int NumExperts,
    int TopK,
    long ExpertIntermediateSize,
    int SharedExperts,
    double ExpertImbalanceFactor,
    int RoutingGroup,
    bool TensorShardedExperts,
    bool AllowPadding)
{
    /// <summary>Experts each rank of the routing group hosts.</summary>
    /// <exception cref="ArgumentException">The experts do not divide over the routing group.</exception>
    public int ExpertsPerRank
    {
        get
        {
            var group = Math.Max(1, RoutingGroup);
            if (NumExperts % group != 0)
                throw new ArgumentException(
                    $"The {NumExperts} experts must divide evenly over the MoE routing group of {group} ranks.");
            return Math.Max(1, NumExperts / group);
        }
    }

    /// <summary>The imbalance profile of one rank under the one-hot-expert assumption.</summary>
    public MoeImbalanceProfile Imbalance => MoeImbalanceProfile.For(ExpertImbalanceFactor, NumExperts, ExpertsPerRank);

    /// <summary>Throws when the spec cannot describe a MoE layer.</summary>
    /// <exception cref="ArgumentException">Describes the first problem found.</exception>
    public void Validate()
    {
        if (NumExperts < 2) throw new ArgumentException("A MoE layer needs at least two experts.");
        if (TopK < 1 || TopK > NumExperts)
            throw new ArgumentException($"top_k ({TopK}) must be between 1 and num_experts ({NumExperts}).");
        if (ExpertIntermediateSize <= 0) throw new ArgumentException("ExpertIntermediateSize must be positive.");
        if (SharedExperts < 0) throw new ArgumentException("SharedExperts must not be negative.");
        if (RoutingGroup < 1) throw new ArgumentException("RoutingGroup must be at least 1.");
        _ = ExpertsPerRank;
        _ = Imbalance;
    }
}
