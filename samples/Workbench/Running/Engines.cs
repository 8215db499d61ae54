using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Running;

/// <summary>What a sweep varies: one or two form fields, each with its values as written in YAML.</summary>
/// <param name="Setup">The base setup.</param>
/// <param name="Axes">The varied settings; the first varies slowest.</param>
/// <param name="AstraSimBinary">The AstraSim binary, or null.</param>
public sealed record SweepRequest(RunSetup Setup, IReadOnlyList<SweepAxis> Axes, string? AstraSimBinary);

/// <summary>
/// The limits a user puts on a search's axes (the library's <c>SearchOptions</c> axes). An empty list means every
/// value the model's shape allows; a listed value the shape does not allow is dropped by the library.
/// </summary>
public sealed record SearchLimits
{
    /// <summary>Tensor-parallel degrees.</summary>
    public IReadOnlyList<int> Tp { get; init; } = [];

    /// <summary>Context-parallel degrees.</summary>
    public IReadOnlyList<int> Cp { get; init; } = [];

    /// <summary>Pipeline stages.</summary>
    public IReadOnlyList<int> Pp { get; init; } = [];

    /// <summary>Training data-parallel degrees.</summary>
    public IReadOnlyList<int> Dp { get; init; } = [];

    /// <summary>Training expert-parallel degrees (MoE models).</summary>
    public IReadOnlyList<int> Ep { get; init; } = [];

    /// <summary>Micro-batch counts (training).</summary>
    public IReadOnlyList<int> MicroBatches { get; init; } = [];

    /// <summary>ZeRO stages (training).</summary>
    public IReadOnlyList<int> ZeroStages { get; init; } = [];

    /// <summary>Recompute choices, true for full (training); empty tries both.</summary>
    public IReadOnlyList<bool> FullRecompute { get; init; } = [];

    /// <summary>Pipeline schedules by YAML name (training); empty runs the hardware file's schedule.</summary>
    public IReadOnlyList<string> Schedules { get; init; } = [];

    /// <summary>Virtual stages for <c>interleaved_1f1b</c>; empty tries every number that divides the layers per stage.</summary>
    public IReadOnlyList<int> VirtualStages { get; init; } = [];

    /// <summary>Inference replica counts.</summary>
    public IReadOnlyList<int> Replicas { get; init; } = [];

    /// <summary>Inference sequences per replica; empty tries the model's batch and every power of two below it.</summary>
    public IReadOnlyList<int> Batches { get; init; } = [];
}

/// <summary>What a configuration search looks at.</summary>
/// <param name="Setup">The model and the device (its parallelism is replaced by each candidate's).</param>
/// <param name="Gpus">GPUs every candidate uses.</param>
/// <param name="Objective"><c>time</c>, <c>throughput</c> or <c>ttft</c>; null for the run type's default.</param>
/// <param name="MemoryHeadroom">Fraction of memory kept free, in [0, 1).</param>
/// <param name="MaxTensorParallel">The largest tensor-parallel degree (GPUs per node).</param>
/// <param name="Limits">The axes' limits.</param>
/// <param name="AstraSimBinary">The AstraSim binary, or null.</param>
public sealed record SearchRequest(RunSetup Setup, int Gpus, string? Objective, double MemoryHeadroom, int MaxTensorParallel, SearchLimits Limits, string? AstraSimBinary);

/// <summary>Runs sweeps. The workbench's UI speaks only to this, so the engine behind it is the library's sweep API.</summary>
public interface ISweepEngine
{
    /// <summary>Estimates every point of the grid.</summary>
    /// <param name="request">The sweep.</param>
    /// <param name="progress">Told after every point, in order.</param>
    /// <param name="cancellationToken">Stops the sweep; the points done so far are returned by the exception's caller.</param>
    /// <returns>The outcome.</returns>
    Task<SweepOutcome> RunAsync(SweepRequest request, IProgress<RunProgress> progress, CancellationToken cancellationToken);
}

/// <summary>Runs configuration searches (the library's search API behind it).</summary>
public interface ISearchEngine
{
    /// <summary>Searches the configurations for the GPU count.</summary>
    /// <param name="request">The search.</param>
    /// <param name="progress">Told as candidates are done.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The outcome.</returns>
    Task<SearchOutcome> RunAsync(SearchRequest request, IProgress<RunProgress> progress, CancellationToken cancellationToken);
}
