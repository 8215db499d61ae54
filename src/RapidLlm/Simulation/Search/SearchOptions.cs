using RapidLlm.Common;
using RapidLlm.Configuration;

namespace RapidLlm.Search;

/// <summary>
/// What a configuration search looks at and how it ranks. Only <see cref="Gpus"/> is required; every axis defaults to
/// all the values the model's shape allows (see <see cref="ParallelismSearch"/>), and an axis given here is limited to
/// the listed values (still subject to those rules).
/// </summary>
public sealed record SearchOptions
{
    /// <summary>GPUs every candidate uses: tp·cp·pp·dp·ep (training) or tp·cp·pp·replicas (inference). Required, ≥ 1.</summary>
    public required int Gpus { get; init; }

    /// <summary>The ranking; null (the default) ranks training by <see cref="SearchObjective.TimePerBatch"/> and inference by <see cref="SearchObjective.Throughput"/>.</summary>
    public SearchObjective? Objective { get; init; }

    /// <summary>Fraction of each GPU's memory kept free: a candidate fits when its peak ≤ capacity × (1 − headroom). Default 0, in [0, 1).</summary>
    public double MemoryHeadroom { get; init; }

    /// <summary>The largest tensor-parallel degree, normally the GPUs of one NVLink node; default 8.</summary>
    public int MaxTensorParallel { get; init; } = 8;

    /// <summary>Tensor-parallel degrees to try; empty (the default) tries every divisor of the GPUs up to <see cref="MaxTensorParallel"/> that divides the attention heads.</summary>
    public EquatableArray<int> TensorParallel { get; init; }

    /// <summary>
    /// Sequence-parallel choices for candidates with tp &gt; 1 (Megatron sequence parallelism, <c>parallelism.tp_sp</c>);
    /// empty (the default) tries sequence parallelism only, as tensor-parallel training and serving normally run;
    /// <c>[true, false]</c> tries both (sequence parallelism first, so it wins ties). The template's own <c>tp_sp</c> is
    /// replaced like the rest of its parallelism; pass <c>[its value]</c> to keep it, as <c>RunPerf search</c> does with
    /// the hardware file's. Candidates with tp 1 have nothing to shard and are listed once; MoE training candidates
    /// with tp &gt; 1 and ep &gt; 1 need sequence parallelism and are not listed without it.
    /// </summary>
    public EquatableArray<bool> SequenceParallel { get; init; }

    /// <summary>Context-parallel degrees; empty tries every divisor of the GPUs that divides the sequence length.</summary>
    public EquatableArray<int> ContextParallel { get; init; }

    /// <summary>Pipeline stages; empty tries every divisor of the GPUs that divides the layers.</summary>
    public EquatableArray<int> PipelineStages { get; init; }

    /// <summary>Training data-parallel degrees; empty allows any (it follows from the others and the GPUs).</summary>
    public EquatableArray<int> DataParallel { get; init; }

    /// <summary>Training expert-parallel degrees (MoE models); empty tries every divisor of the GPUs that divides the experts. Dense models use 1.</summary>
    public EquatableArray<int> ExpertParallel { get; init; }

    /// <summary>Micro-batch counts; empty tries every divisor of the batch per data-parallel rank.</summary>
    public EquatableArray<int> MicroBatches { get; init; }

    /// <summary>ZeRO stages; empty tries 0-3 with data parallelism (0-1 where ZeRO-2/3 is not supported: MoE, gradient accumulation) and 0 without.</summary>
    public EquatableArray<int> ZeroStages { get; init; }

    /// <summary>Recompute choices (true = full, false = selective); empty tries both.</summary>
    public EquatableArray<bool> FullRecompute { get; init; }

    /// <summary>
    /// Search the pipeline schedule too: GPipe, 1F1B and interleaved 1F1B with every number of virtual stages that
    /// divides the layers per stage (when the micro-batches are a multiple of the stages). Default false: every candidate
    /// runs the hardware's <c>parallelism.pipeline_schedule</c> (GPipe unless it says otherwise), as the command-line
    /// contract's search does. A single stage always runs GPipe.
    /// </summary>
    public bool SearchSchedules { get; init; }

    /// <summary>The schedules to try with more than one stage (those that fit each candidate); empty follows <see cref="SearchSchedules"/>.</summary>
    public EquatableArray<PipelineSchedule> Schedules { get; init; }

    /// <summary>Inference replica counts; empty allows any (it follows from the others and the GPUs).</summary>
    public EquatableArray<int> Replicas { get; init; }

    /// <summary>Inference sequences per replica; empty tries the model's batch and every power of two below it.</summary>
    public EquatableArray<int> Batches { get; init; }

    /// <summary>
    /// Skip candidates whose memory lower bound (static memory plus one micro-batch's stored activations on the fullest
    /// stage, never above the simulated peak) already exceeds the capacity, before timing them; default true. Skipped
    /// candidates are counted in <see cref="SearchResult.Pruned"/> and not listed.
    /// </summary>
    public bool PruneByMemoryBound { get; init; } = true;

    /// <summary>The slice of the candidate list to evaluate; default the whole list.</summary>
    public SearchShard Shard { get; init; } = SearchShard.Whole;

    /// <summary>Threads estimating at once; null (the default) uses every core. The results do not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>The objective that applies to <paramref name="runType"/>.</summary>
    /// <param name="runType">The search's run type.</param>
    /// <returns>The objective.</returns>
    public SearchObjective ObjectiveFor(RunType runType) =>
        Objective ?? (runType == RunType.Training ? SearchObjective.TimePerBatch : SearchObjective.Throughput);
}
