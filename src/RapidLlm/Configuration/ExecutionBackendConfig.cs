namespace RapidLlm.Configuration;

/// <summary>Which engine times the graphs.</summary>
public enum ExecutionBackendKind
{
    /// <summary>The analytical model (the default).</summary>
    Analytical,
    /// <summary>The AstraSim network simulator (<c>astra</c>).</summary>
    AstraSim,
}

/// <summary>How AstraSim is used.</summary>
internal enum AstraSimMode
{
    /// <summary>Analytical graph with AstraSim-timed collectives (the default).</summary>
    Hybrid,
    /// <summary>Full AstraSim run over the hierarchical graph.</summary>
    FullHierarchical,
    /// <summary>Full AstraSim run over the flattened graph.</summary>
    FullFlattened,
}

/// <summary>The execution backend a hardware selects (<c>execution_backend</c>): the analytical model or AstraSim, in one of its modes.</summary>
public sealed record ExecutionBackendConfig
{
    /// <summary>Creates the section.</summary>
    /// <param name="kind">The backend.</param>
    /// <param name="astra">AstraSim settings; present only when <paramref name="kind"/> is AstraSim.</param>
    internal ExecutionBackendConfig(ExecutionBackendKind kind, AstraSimConfig? astra)
    {
        Kind = kind;
        Astra = astra;
    }

    /// <summary>The backend; default analytical.</summary>
    public ExecutionBackendKind Kind { get; init; }

    /// <summary>AstraSim settings; present only when <see cref="Kind"/> is AstraSim.</summary>
    internal AstraSimConfig? Astra { get; init; }

    /// <summary>The analytical backend.</summary>
    public static ExecutionBackendConfig Analytical { get; } = new(ExecutionBackendKind.Analytical, null);

    /// <summary>
    /// The name the selected backend reports ("analytical", "hybrid", "full_astrasim_hierarchical",
    /// "full_astrasim_flattened"), as results and the CLI print it.
    /// </summary>
    public string Name => Kind == ExecutionBackendKind.Analytical
        ? "analytical"
        : (Astra?.Mode ?? AstraSimMode.Hybrid) switch
        {
            AstraSimMode.Hybrid => "hybrid",
            AstraSimMode.FullHierarchical => "full_astrasim_hierarchical",
            _ => "full_astrasim_flattened",
        };
}

/// <summary>AstraSim settings (<c>execution_backend.astra</c>).</summary>
/// <param name="Backend">AstraSim network backend name; default <c>analytical</c>.</param>
/// <param name="Mode">Mode; default hybrid.</param>
/// <param name="Collectives">Default collective algorithms.</param>
/// <param name="SysOptions">System options, or null when absent.</param>
/// <param name="BinaryPath">Path of the AstraSim binary; null means "find it at run time".</param>
internal sealed record AstraSimConfig(
    string Backend,
    AstraSimMode Mode,
    AstraCollectivesConfig Collectives,
    AstraSysOptions? SysOptions,
    string? BinaryPath);

/// <summary>Default AstraSim collective algorithms; each defaults to <c>auto</c>.</summary>
/// <param name="AllGather">All-gather algorithm.</param>
/// <param name="AllReduce">All-reduce algorithm.</param>
/// <param name="ReduceScatter">Reduce-scatter algorithm.</param>
/// <param name="AllToAll">All-to-all algorithm.</param>
internal sealed record AstraCollectivesConfig(string AllGather, string AllReduce, string ReduceScatter, string AllToAll)
{
    /// <summary>All collectives on <c>auto</c>.</summary>
    public static AstraCollectivesConfig Auto { get; } = new("auto", "auto", "auto", "auto");
}

/// <summary>AstraSim system options; each is null when absent.</summary>
/// <param name="EndpointDelay">Endpoint delay (≥ 0).</param>
/// <param name="ActiveChunksPerDimension">Active chunks per dimension (≥ 1).</param>
/// <param name="PreferredDatasetSplits">Preferred dataset splits (≥ 1).</param>
/// <param name="CollectiveArbitration">Collective arbitration policy.</param>
internal sealed record AstraSysOptions(int? EndpointDelay, int? ActiveChunksPerDimension, int? PreferredDatasetSplits, string? CollectiveArbitration);
