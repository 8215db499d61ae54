using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Operations;

namespace RapidLlm.Memory;

/// <summary>
/// Everything the memory estimator needs about the model, its sharding and the device, independent
/// of the pass being simulated (see <see cref="MemoryPhaseInput"/>): dense, MoE and MLA language models and
/// vision transformers.
/// </summary>
internal sealed record MemoryEstimatorInput
{
    /// <summary>Hidden size.</summary>
    public required int HiddenDim { get; init; }

    /// <summary>FFN intermediate size.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Attention heads.</summary>
    public required int Heads { get; init; }

    /// <summary>Key/value heads; null means <see cref="Heads"/>.</summary>
    public int? KeyValueHeads { get; init; }

    /// <summary>Head dimension; null means hidden / heads.</summary>
    public int? HeadDim { get; init; }

    /// <summary>Vocabulary size.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>True for gated (SwiGLU, llama-style) MLPs: three projections instead of two.</summary>
    public bool GatedMlp { get; init; }

    /// <summary>Input embedding and LM head share weights (no separate LM-head static memory).</summary>
    public bool TiedEmbeddings { get; init; } = true;

    /// <summary>No embedding / LM head at all (their weights and activations count as 0).</summary>
    public bool DisableEmbeddingUnembedding { get; init; }

    /// <summary>Tensor-parallel degree.</summary>
    public int TensorParallel { get; init; } = 1;

    /// <summary>Sequence parallelism on the tensor-parallel group (tp_sp).</summary>
    public bool TensorSequenceParallel { get; init; }

    /// <summary>Context-parallel degree.</summary>
    public int ContextParallel { get; init; } = 1;

    /// <summary>Pipeline stages.</summary>
    public int PipelineStages { get; init; } = 1;

    /// <summary>Data-parallel degree (training; inference always uses 1).</summary>
    public int DataParallel { get; init; } = 1;

    /// <summary>ZeRO stage 0..3.</summary>
    public int ZeroStage { get; init; }

    /// <summary>Full activation recomputation.</summary>
    public bool FullRecompute { get; init; }

    /// <summary>
    /// Under full recomputation, whether each in-flight micro-batch keeps its layers' inputs (the checkpoints the
    /// backward recomputes from), as Megatron-LM does: the calibrated model. The reference model keeps none.
    /// </summary>
    public bool KeepsRecomputeCheckpoints { get; init; }

    /// <summary>Flash attention (no stored attention scores).</summary>
    public bool FlashAttention { get; init; }

    /// <summary>Bytes per activation element.</summary>
    public double ActivationBytes { get; init; } = 2;

    /// <summary>Bytes per stored parameter.</summary>
    public double ParameterBytes { get; init; } = 2;

    /// <summary>Bytes per gradient element.</summary>
    public double GradientBytes { get; init; } = 2;

    /// <summary>Bytes per optimizer-state element (two states per parameter).</summary>
    public double OptimizerStateBytes { get; init; } = 2;

    /// <summary>Bytes per master-copy parameter (0 when there is none).</summary>
    public double MasterParameterBytes { get; init; }

    /// <summary>Bytes per KV-cache element.</summary>
    public double KvCacheBytes { get; init; } = 2;

    /// <summary>Constant per-device reservation (framework, workspace), in bytes.</summary>
    public double ConstantOffsetBytes { get; init; }

    /// <summary>Device memory capacity in bytes; null when unknown (no capacity comparison).</summary>
    public double? CapacityBytes { get; init; }

    /// <summary>Rank → device numbering (the same the flattener uses); null numbers devices stage-major.</summary>
    public RankLayout? Layout { get; init; }

    /// <summary>Multi-head latent attention dimensions, or null for MHA/GQA attention.</summary>
    public Operations.Mla.MlaDims? Mla { get; init; }

    /// <summary>A vision transformer's patch embedding and head (in place of the vocabulary), or null for a language model.</summary>
    public Operations.Vision.VisionDims? Vision { get; init; }

    /// <summary>The model's mixture-of-experts layers, or null for a dense model.</summary>
    public Moe.MoeMemoryInput? Moe { get; init; }

    /// <summary>Parallelism mode implied by the degrees (as the reference derives it).</summary>
    public ParallelismMode Mode => (TensorParallel > 1, ContextParallel > 1) switch
    {
        (true, false) => TensorSequenceParallel ? ParallelismMode.TensorSequence : ParallelismMode.Tensor,
        (false, true) => ParallelismMode.Context,
        (true, true) => ParallelismMode.TensorContextHybrid,
        _ => ParallelismMode.Single,
    };
}
