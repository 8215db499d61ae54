using System.Globalization;
using RapidLlm.Configuration;

namespace RapidLlm.Search;

/// <summary>
/// One configuration of a search: the parallel degrees and the training or serving choices. Training points use
/// every axis but <see cref="Replicas"/> and <see cref="Batch"/>; inference points use tp (with its sequence
/// parallelism), cp, pp, replicas and batch.
/// </summary>
public sealed record SearchPoint
{
    /// <summary>Training or inference.</summary>
    public required RunType RunType { get; init; }

    /// <summary>Tensor parallelism (<c>parallelism.tp</c>).</summary>
    public int TensorParallel { get; init; } = 1;

    /// <summary>
    /// Megatron sequence parallelism on the tensor-parallel ranks (<c>parallelism.tp_sp</c>); default true. Ignored at
    /// tp 1, where there is nothing to shard: the search, <see cref="Of"/>, JSON reading and
    /// <c>ParallelismSearch.Estimate</c> give tp 1 points true.
    /// </summary>
    public bool SequenceParallel { get; init; } = true;

    /// <summary>Context parallelism (<c>parallelism.cp</c>).</summary>
    public int ContextParallel { get; init; } = 1;

    /// <summary>Pipeline stages (<c>parallelism.pp</c>).</summary>
    public int PipelineStages { get; init; } = 1;

    /// <summary>Training data parallelism (<c>parallelism.train.dp</c>); 1 for inference.</summary>
    public int DataParallel { get; init; } = 1;

    /// <summary>Training expert parallelism (<c>parallelism.train.ep</c>, MoE models); 1 otherwise.</summary>
    public int ExpertParallel { get; init; } = 1;

    /// <summary>Pipeline micro-batches per step (<c>parallelism.mb</c>); 1 for inference.</summary>
    public int MicroBatches { get; init; } = 1;

    /// <summary>ZeRO stage (<c>sw_param.dp_zero_stage</c>); 0 without data parallelism and for inference.</summary>
    public int ZeroStage { get; init; }

    /// <summary>Full activation recomputation (<c>sw_param.full_recomputation</c>; false is the selective choice).</summary>
    public bool FullRecompute { get; init; }

    /// <summary>The training pipeline schedule; GPipe for inference and single-stage runs.</summary>
    public PipelineSchedule Schedule { get; init; } = PipelineSchedule.GPipe;

    /// <summary>Inference replicas (<c>parallelism.inference.replica_count</c>); 1 for training.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Inference sequences per replica (<c>model_param.global_batch_size</c>); 1 for training (which keeps the model's batch).</summary>
    public int Batch { get; init; } = 1;

    /// <summary>GPUs the point uses: tp × cp × pp × dp × ep (training) or tp × cp × pp × replicas (inference).</summary>
    public int Gpus => TensorParallel * ContextParallel * PipelineStages * (RunType == RunType.Training ? DataParallel * ExpertParallel : Replicas);

    /// <summary>The recompute choice as the contract names it: <c>full</c> or <c>selective</c>.</summary>
    public string RecomputeName => FullRecompute ? "full" : "selective";

    /// <summary>The point a simulation runs: its parallelism, ZeRO stage, recompute, schedule and (inference) batch.</summary>
    /// <param name="simulation">The simulation.</param>
    /// <returns>The point.</returns>
    public static SearchPoint Of(Simulation.LlmSimulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var par = simulation.Hardware.Parallelism;
        var software = simulation.Hardware.Software;
        var runType = simulation.Model.RunType;
        var training = runType == RunType.Training;
        return new SearchPoint
        {
            RunType = runType,
            TensorParallel = par.Tp,
            SequenceParallel = par.Tp == 1 || par.TpSp,
            ContextParallel = par.Cp,
            PipelineStages = par.Pp,
            DataParallel = training ? par.Train.Dp : 1,
            ExpertParallel = training && simulation.Model.Transformer?.UsesMoe == true ? par.Train.Ep : 1,
            MicroBatches = par.MicroBatches,
            ZeroStage = training ? software.DpZeroStage : 0,
            FullRecompute = training && software.FullRecomputation,
            Schedule = training ? par.Schedule : PipelineSchedule.GPipe,
            Replicas = training ? 1 : Math.Max(1, par.Inference.ReplicaCount),
            Batch = training ? 1 : simulation.Model.Transformer?.GlobalBatchSize ?? 1,
        };
    }

    /// <summary>A short label, e.g. <c>tp8 cp1 pp4 dp2 mb8 z1 selective 1f1b</c> (<c>tp8 no-sp …</c> without sequence parallelism).</summary>
    /// <returns>Text.</returns>
    public override string ToString() => RunType == RunType.Training
        ? string.Create(CultureInfo.InvariantCulture,
            $"tp{TensorParallel}{SequenceLabel} cp{ContextParallel} pp{PipelineStages} dp{DataParallel}{(ExpertParallel > 1 ? $" ep{ExpertParallel}" : "")} mb{MicroBatches} z{ZeroStage} {RecomputeName} {Schedule}")
        : string.Create(CultureInfo.InvariantCulture, $"tp{TensorParallel}{SequenceLabel} cp{ContextParallel} pp{PipelineStages} x{Replicas} batch {Batch}");

    /// <summary>The same point with <see cref="SequenceParallel"/> true at tp 1, where it means nothing.</summary>
    internal SearchPoint Normalized() => TensorParallel == 1 && !SequenceParallel ? this with { SequenceParallel = true } : this;

    /// <summary>The tp degree as tables show it: marked <c>no-sp</c> when tensor parallelism runs without sequence parallelism.</summary>
    internal string TensorLabel => TensorParallel.ToString(CultureInfo.InvariantCulture) + SequenceLabel;

    private string SequenceLabel => SequenceParallel || TensorParallel == 1 ? "" : " no-sp";
}
