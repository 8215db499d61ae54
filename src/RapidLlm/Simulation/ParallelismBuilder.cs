using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// Sets how the model is split across devices. Starts from one device: every degree 1, no sequence parallelism,
/// one micro-batch, TP also shards experts. Each method returns the builder so calls chain.
/// </summary>
public sealed class ParallelismBuilder
{
    internal int Tp { get; private set; } = 1;
    internal bool TpSp { get; private set; }
    internal int Cp { get; private set; } = 1;
    internal int Pp { get; private set; } = 1;
    internal int MicroBatches { get; private set; } = 1;
    internal int Dp { get; private set; } = 1;
    internal int Ep { get; private set; } = 1;
    internal bool TpEp { get; private set; } = true;
    internal int ReplicaCount { get; private set; } = 1;
    internal int MoeDp { get; private set; } = 1;
    internal PipelineSchedule Schedule { get; private set; } = PipelineSchedule.GPipe;

    /// <summary>Tensor parallelism (<c>parallelism.tp</c>, <c>tp_sp</c>).</summary>
    /// <param name="degree">Devices sharing each layer's weights; default 1.</param>
    /// <param name="sequenceParallel">Megatron sequence parallelism on top of TP; default false.</param>
    public ParallelismBuilder Tensor(int degree, bool sequenceParallel = false)
    {
        Tp = degree;
        TpSp = sequenceParallel;
        return this;
    }

    /// <summary>Context parallelism (<c>parallelism.cp</c>): the sequence is split across devices; default 1.</summary>
    /// <param name="degree">Devices sharing each sequence.</param>
    public ParallelismBuilder Context(int degree)
    {
        Cp = degree;
        return this;
    }

    /// <summary>Pipeline parallelism (<c>parallelism.pp</c>, <c>mb</c>, <c>pipeline_schedule</c>, <c>virtual_stages</c>).</summary>
    /// <param name="stages">Pipeline stages; default 1.</param>
    /// <param name="microBatches">Micro-batches per step; default 1.</param>
    /// <param name="schedule">
    /// Training schedule: <see cref="PipelineSchedule.GPipe"/> (the default), <see cref="PipelineSchedule.OneFOneB"/>
    /// or <see cref="PipelineSchedule.Interleaved"/>(v) with v model chunks per stage.
    /// </param>
    public ParallelismBuilder Pipeline(int stages, int microBatches = 1, PipelineSchedule? schedule = null)
    {
        Pp = stages;
        MicroBatches = microBatches;
        Schedule = schedule ?? PipelineSchedule.GPipe;
        return this;
    }

    /// <summary>Training data parallelism (<c>parallelism.train.dp</c>); default 1. Inference uses <see cref="Replicas"/>.</summary>
    /// <param name="degree">Data-parallel replicas that synchronise gradients.</param>
    public ParallelismBuilder Data(int degree)
    {
        Dp = degree;
        return this;
    }

    /// <summary>Training expert parallelism (<c>parallelism.train.ep</c>, <c>tp_ep</c>) for MoE models.</summary>
    /// <param name="degree">Devices the experts are spread over; default 1.</param>
    /// <param name="tensorShardsExperts">TP also shards each expert; default true.</param>
    public ParallelismBuilder Expert(int degree, bool tensorShardsExperts = true)
    {
        Ep = degree;
        TpEp = tensorShardsExperts;
        return this;
    }

    /// <summary>Independent inference replicas (<c>parallelism.inference.replica_count</c>); default 1. Multiplies throughput only.</summary>
    /// <param name="count">Replicas.</param>
    public ParallelismBuilder Replicas(int count)
    {
        ReplicaCount = count;
        return this;
    }

    /// <summary>MoE inference expert-pool expansion (<c>parallelism.inference.moe_dp</c>, EP = tp × moe_dp); default 1.</summary>
    /// <param name="degree">The expansion.</param>
    public ParallelismBuilder ExpertData(int degree)
    {
        MoeDp = degree;
        return this;
    }

    internal ParallelismConfig ToConfig(List<(string Path, int Value)> invalid)
    {
        int Checked(string path, int value)
        {
            if (value >= 1) return value;
            invalid.Add((path, value));
            return 1;
        }

        return new ParallelismConfig(
            Checked("parallelism.tp", Tp), TpSp, Checked("parallelism.cp", Cp), Checked("parallelism.pp", Pp), Checked("parallelism.mb", MicroBatches),
            new TrainParallelismConfig(Checked("parallelism.train.dp", Dp), Checked("parallelism.train.ep", Ep), TpEp),
            new InferenceParallelismConfig(Checked("parallelism.inference.replica_count", ReplicaCount), Checked("parallelism.inference.moe_dp", MoeDp)))
        {
            Schedule = Schedule,
        };
    }
}
