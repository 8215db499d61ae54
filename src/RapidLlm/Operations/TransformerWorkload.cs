namespace RapidLlm.Operations;

/// <summary>
/// Everything that fixes the cost of one dense decoder layer (and of the embedding and LM head around it)
/// on one device: model shape, the batch and sequence it processes, parallelism, precisions and software knobs.
/// </summary>
internal sealed record TransformerWorkload
{
    /// <summary>Model dimensions.</summary>
    public required TransformerDims Model { get; init; }

    /// <summary>
    /// Effective per-device batch: the micro-batch when pp &gt; 1, else the dp mini-batch, else the whole batch
    /// (global batch / gradient-accumulation steps).
    /// </summary>
    public required long BatchSize { get; init; }

    /// <summary>Tokens per sequence in the pass being costed: seq_len for training, the prompt length for prefill.</summary>
    public required long SequenceLength { get; init; }

    /// <summary>Training, prefill or decode.</summary>
    public RunPhase Phase { get; init; } = RunPhase.Training;

    /// <summary>The configured model sequence length, which sizes the K/V gathers of context parallelism.</summary>
    public required long ModelSequenceLength { get; init; }

    /// <summary>The configured micro-batch (mini-batch when pp = 1), which also sizes the K/V gathers.</summary>
    public required long MicroBatchSize { get; init; }

    /// <summary>Parallelism degrees and ZeRO stage.</summary>
    public ParallelismDegrees Parallelism { get; init; } = ParallelismDegrees.None;

    /// <summary>Precision of each tensor class.</summary>
    public required PrecisionBytes Precision { get; init; }

    /// <summary>Whether training/prefill attention runs as a FlashAttention kernel (decode never does).</summary>
    public bool FlashAttention { get; init; }

    /// <summary>FlashAttention key/value tile Bc (required when <see cref="FlashAttention"/> is on).</summary>
    public long? AttentionTileSize { get; init; }

    /// <summary>Full activation recomputation (drops the selective recompute inside the flash backward).</summary>
    public bool FullRecomputation { get; init; }

    /// <summary>Kernel-launch overhead O added per kernel.</summary>
    public required double KernelOverheadSeconds { get; init; }

    /// <summary>Host-to-device bandwidth charged on the embedding forward; zero or negative disables it.</summary>
    public double H2dBandwidthBytesPerSecond { get; init; }

    /// <summary>Gradient-accumulation steps; more than one adds a gradient-accumulation pass to each weight backward.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Fixed extra time per gradient-accumulation pass (the reference's <c>grad_acc_overhead</c>).</summary>
    public double GradAccumOverheadSeconds { get; init; }

    /// <summary>The network link of each parallelism axis.</summary>
    public required AxisLinks Links { get; init; }

    /// <summary>
    /// Bytes of the K and V of the whole configured context for one micro-batch (the CP gather size before /tp). Zero for a
    /// vision transformer: the reference sizes this gather from its KV cache, which a ViT does not keep, so its context
    /// parallelism exchanges no K/V (reproduced under the reference model; see docs/differences.md).
    /// </summary>
    public double ContextKvBytes => Model.Vision is not null
        ? 0.0
        : 2 * ModelSequenceLength * MicroBatchSize * Model.HeadDim * Model.KvHeads * Precision.KvCache;

    /// <summary>Throws when the workload is not one this library can cost.</summary>
    /// <exception cref="ArgumentException">Describes the first problem found.</exception>
    public void Validate()
    {
        Model.Validate();
        if (BatchSize <= 0) throw new ArgumentException("BatchSize must be positive.");
        if (SequenceLength <= 0) throw new ArgumentException("SequenceLength must be positive.");
        if (ModelSequenceLength <= 0 || MicroBatchSize <= 0)
            throw new ArgumentException("ModelSequenceLength and MicroBatchSize must be positive.");
        var p = Parallelism;
        if (p.Tp < 1 || p.Cp < 1 || p.Pp < 1 || p.Dp < 1)
            throw new ArgumentException("Parallelism degrees must be at least 1.");
        if (p.ZeroStage is < 0 or > 3) throw new ArgumentException("ZeroStage must be 0..3.");
        if (FlashAttention && Phase != RunPhase.Decode && AttentionTileSize is not > 0)
            throw new ArgumentException("FlashAttention needs a positive AttentionTileSize.");
        if (GradientAccumulationSteps < 1) throw new ArgumentException("GradientAccumulationSteps must be at least 1.");
        if (KernelOverheadSeconds < 0) throw new ArgumentException("KernelOverheadSeconds must not be negative.");
    }
}
