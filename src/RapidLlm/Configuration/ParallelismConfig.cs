namespace RapidLlm.Configuration;

/// <summary>Parallelism of a hardware file (<c>parallelism</c>).</summary>
/// <param name="Tp">Tensor parallelism; default 1.</param>
/// <param name="TpSp">Megatron sequence parallelism on top of TP (<c>tp_sp</c>); default false.</param>
/// <param name="Cp">Context parallelism; default 1.</param>
/// <param name="Pp">Pipeline stages (<c>pp</c>, the seed's <c>lp</c>); default 1.</param>
/// <param name="MicroBatches">Pipeline micro-batches (<c>mb</c>); default 1.</param>
/// <param name="Train">Axes used only by training runs.</param>
/// <param name="Inference">Axes used only by inference runs.</param>
internal sealed record ParallelismConfig(
    int Tp,
    bool TpSp,
    int Cp,
    int Pp,
    int MicroBatches,
    TrainParallelismConfig Train,
    InferenceParallelismConfig Inference)
{
    /// <summary>
    /// Training pipeline schedule (<c>parallelism.pipeline_schedule</c>, <c>parallelism.virtual_stages</c>); default
    /// <see cref="PipelineSchedule.GPipe"/>, the reference's. Inference runs forward passes only and ignores it.
    /// </summary>
    public PipelineSchedule Schedule { get; init; } = PipelineSchedule.GPipe;

    /// <summary>One device: every degree 1, no sequence parallelism, one micro-batch, GPipe, TP sharding experts.</summary>
    public static ParallelismConfig SingleDevice { get; } =
        new(1, false, 1, 1, 1, new TrainParallelismConfig(1, 1, true), new InferenceParallelismConfig(1, 1));
}

/// <summary>Training-only parallelism (<c>parallelism.train</c>).</summary>
/// <param name="Dp">Data parallelism. Required in the newest schema; the seed's <c>dp</c>.</param>
/// <param name="Ep">Expert parallelism. Required in the newest schema; 1 for the seed.</param>
/// <param name="TpEp">Whether TP also shards the experts (<c>tp_ep</c>). Required in the newest schema; true for the seed.</param>
internal sealed record TrainParallelismConfig(int Dp, int Ep, bool TpEp);

/// <summary>Inference-only parallelism (<c>parallelism.inference</c>).</summary>
/// <param name="ReplicaCount">Independent model replicas; multiplies throughput only. Required in the newest schema; the seed's <c>dp</c>.</param>
/// <param name="MoeDp">Expert-pool expansion for MoE inference (EP = tp·moe_dp). Required in the newest schema; 1 for the seed.</param>
internal sealed record InferenceParallelismConfig(int ReplicaCount, int MoeDp);
