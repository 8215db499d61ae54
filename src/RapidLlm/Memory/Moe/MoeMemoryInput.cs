namespace RapidLlm.Memory.Moe;

/// <summary>
/// What the memory model needs to know about a model's mixture-of-experts layers: the experts, how tokens are routed
/// to them and how they are spread over ranks.
/// </summary>
/// <param name="NumExperts">Routed experts per MoE layer.</param>
/// <param name="TopK">Experts each token is routed to.</param>
/// <param name="ExpertIntermediateSize">One expert's FFN width.</param>
/// <param name="SharedExperts">Always-active shared experts, replicated on every rank.</param>
/// <param name="ExpertImbalanceFactor">Hot expert's load relative to the balanced mean (1 is balanced).</param>
/// <param name="RoutingGroup">Ranks the routed experts are spread over: ep in training, tp × moe_dp in inference.</param>
/// <param name="TensorShardedExperts">Whether tp also shards each expert (<c>tp_ep</c>; never in inference).</param>
/// <param name="ExpertParallel">Expert-parallel ranks per pipeline stage beside tp and cp (ep, or moe_dp in inference).</param>
/// <param name="MoeLayerCount">MoE layers in the model (the others are dense).</param>
internal sealed record MoeMemoryInput(
    int NumExperts,
    int TopK,
    long ExpertIntermediateSize,
    int SharedExperts,
    double ExpertImbalanceFactor,
    int RoutingGroup,
    bool TensorShardedExperts,
    int ExpertParallel,
    int MoeLayerCount);
