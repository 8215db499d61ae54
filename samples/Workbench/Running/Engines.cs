using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Running;

/// <summary>What a sweep varies: one or two form fields, each with its values as written in YAML.</summary>
/// <param name="Setup">The base setup.</param>
/// <param name="Axes">The varied settings; the first varies slowest.</param>
/// <param name="AstraSimBinary">The AstraSim binary, or null.</param>
public sealed record SweepRequest(RunSetup Setup, IReadOnlyList<SweepAxis> Axes, string? AstraSimBinary);

/// <summary>What a configuration search looks at.</summary>
/// <param name="Setup">The model and the device (its parallelism is the starting point only).</param>
/// <param name="Gpus">GPUs every candidate uses.</param>
/// <param name="Objective"><c>time</c>, <c>throughput</c> or <c>ttft</c>; null for the run type's default.</param>
/// <param name="MemoryHeadroom">Fraction of memory kept free, in [0, 1).</param>
/// <param name="MaxTensorParallel">The largest tensor-parallel degree (GPUs per node).</param>
/// <param name="SearchSchedules">Also try the pipeline schedules.</param>
/// <param name="AstraSimBinary">The AstraSim binary, or null.</param>
public sealed record SearchRequest(RunSetup Setup, int Gpus, string? Objective, double MemoryHeadroom, int MaxTensorParallel, bool SearchSchedules, string? AstraSimBinary);

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
    /// <summary>True when a search engine is available in this build.</summary>
    bool Available { get; }

    /// <summary>Searches the configurations for the GPU count.</summary>
    /// <param name="request">The search.</param>
    /// <param name="progress">Told as candidates are done.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The outcome.</returns>
    Task<SearchOutcome> RunAsync(SearchRequest request, IProgress<RunProgress> progress, CancellationToken cancellationToken);
}
