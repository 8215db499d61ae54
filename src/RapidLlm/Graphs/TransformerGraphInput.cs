using RapidLlm.Common;
using RapidLlm.Operations;

namespace RapidLlm.Graphs;

/// <summary>Everything <see cref="TransformerGraphBuilder"/> needs for one dense layer's per-rank graph.</summary>
internal sealed record TransformerGraphInput
{
    /// <summary>Ops in forward order.</summary>
    public required EquatableArray<TransformerOpTiming> Ops { get; init; }

    /// <summary>Parallelism mode (selects the communication rules).</summary>
    public required ParallelismMode Mode { get; init; }

    /// <summary>Tensor-parallel degree.</summary>
    public int TensorParallel { get; init; } = 1;

    /// <summary>Context-parallel degree.</summary>
    public int ContextParallel { get; init; } = 1;

    /// <summary>Data-parallel degree (only for rules that name dp).</summary>
    public int DataParallel { get; init; } = 1;

    /// <summary>Pipeline degree (only for rules that name pp).</summary>
    public int PipelineStages { get; init; } = 1;

    /// <summary>
    /// Expert-parallel ranks the layer graph holds beside tp and cp (ep in training, moe_dp in inference); 1 for dense
    /// layers, whose ranks do not differ along that axis.
    /// </summary>
    public int ExpertParallel { get; init; } = 1;

    /// <summary>Ranks in one MoE exchange (participants of rules that name ep): ep in training, tp × moe_dp in inference.</summary>
    public int ExpertRoutingGroup { get; init; } = 1;
}
