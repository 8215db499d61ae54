using RapidLlm.Common;
using RapidLlm.Configuration;

namespace RapidLlm.Graphs;

/// <summary>Everything <see cref="PipelineGraphBuilder"/> needs to build one pipeline graph.</summary>
internal sealed record PipelineGraphInput
{
    /// <summary>Transformer layers (at least 1).</summary>
    public required int LayerCount { get; init; }

    /// <summary>Pipeline stages (pp, the seed's lp).</summary>
    public int PipelineStages { get; init; } = 1;

    /// <summary>Micro-batches per iteration.</summary>
    public int MicroBatches { get; init; } = 1;

    /// <summary>Data-parallel replicas; DP edges are built only when above 1.</summary>
    public int DataParallel { get; init; } = 1;

    /// <summary>Tensor-parallel degree (recorded; stage devices collapse tp ranks).</summary>
    public int TensorParallel { get; init; } = 1;

    /// <summary>Context-parallel degree (recorded).</summary>
    public int ContextParallel { get; init; } = 1;

    /// <summary>Expert-parallel degree; EP sync edges are built when above 1 and dp &gt; 1.</summary>
    public int ExpertParallel { get; init; } = 1;

    /// <summary>ZeRO stage 0..3 (the edges themselves follow which ZeRO communications are supplied).</summary>
    public int ZeroStage { get; init; }

    /// <summary>Full activation recomputation: inserts a forward replay before every backward layer.</summary>
    public bool FullRecompute { get; init; }

    /// <summary>When DP synchronisation is issued.</summary>
    public DataParallelSyncMode DataParallelSync { get; init; } = DataParallelSyncMode.EveryMicroBatch;

    /// <summary>Training graph (forward + backward); false builds the forward-only (inference) graph.</summary>
    public bool IncludeBackward { get; init; } = true;

    /// <summary>Adds one optimizer vertex per stage (training only).</summary>
    public bool IncludeOptimizer { get; init; } = true;

    /// <summary>Per-layer MoE flags; empty means all dense.</summary>
    public EquatableArray<bool> MoeLayerMask { get; init; } = EquatableArray<bool>.Empty;

    /// <summary>Names blocks <c>vit_block{l}</c> instead of <c>transformer_layer{l}</c> (ViT models).</summary>
    public bool VisionBlockNames { get; init; }

    /// <summary>
    /// Micro-batch chaining on a single-stage pipeline (pp = 1). The reference gives later micro-batches'
    /// embeddings no predecessor, so they never run; <see cref="SingleStageMicroBatchPolicy.Chain"/> (the
    /// default) fixes that. With pp &gt; 1 the reference's graph is kept either way.
    /// </summary>
    public SingleStageMicroBatchPolicy SingleStageMicroBatches { get; init; } = SingleStageMicroBatchPolicy.Chain;

    /// <summary>
    /// The training schedule; default GPipe, built exactly as the reference builds it. 1F1B and interleaved 1F1B order
    /// each stage's work with dependencies (see <see cref="PipelineScheduleOrder"/>). Forward-only graphs ignore it.
    /// </summary>
    public PipelineSchedule Schedule { get; init; } = PipelineSchedule.GPipe;

    /// <summary>Compute durations.</summary>
    public required PipelineNodeDurations Durations { get; init; }

    /// <summary>Communications.</summary>
    public required PipelineCommunications Communications { get; init; }
}
