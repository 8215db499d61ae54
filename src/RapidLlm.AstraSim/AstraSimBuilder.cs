using RapidLlm.Configuration;

namespace RapidLlm.AstraSim;

/// <summary>
/// AstraSim settings (<c>execution_backend.astra</c>), set in <c>UseAstraSim(a =&gt; …)</c>. Defaults: hybrid mode, the <c>analytical</c> network backend,
/// every collective on <c>auto</c>, no system options, and the binary found at run time.
/// </summary>
public sealed class AstraSimBuilder
{
    private AstraSimMode _mode = AstraSimMode.Hybrid;
    private string _networkBackend = "analytical";
    private string? _binary;
    private AstraCollectivesConfig _collectives = AstraCollectivesConfig.Auto;
    private AstraSysOptions? _sysOptions;

    /// <summary>Analytical graph with AstraSim-timed collectives (<c>hybrid</c>, the default).</summary>
    public AstraSimBuilder Hybrid() => Mode(AstraSimMode.Hybrid);

    /// <summary>Full AstraSim run over the hierarchical graph (<c>full_astrasim_hierarchical</c>).</summary>
    public AstraSimBuilder Hierarchical() => Mode(AstraSimMode.FullHierarchical);

    /// <summary>Full AstraSim run over the flattened per-rank graph (<c>full_astrasim_flattened</c>).</summary>
    public AstraSimBuilder Flattened() => Mode(AstraSimMode.FullFlattened);

    /// <summary>Path of the AstraSim binary; unset (the default) means "find it at run time".</summary>
    /// <param name="path">The executable.</param>
    public AstraSimBuilder Binary(string path)
    {
        _binary = path;
        return this;
    }

    /// <summary>AstraSim's own network backend (<c>astra.backend</c>); default <c>analytical</c>.</summary>
    /// <param name="name">The backend name.</param>
    public AstraSimBuilder NetworkBackend(string name)
    {
        _networkBackend = name;
        return this;
    }

    /// <summary>Default collective algorithms (<c>astra.collectives</c>); null keeps the current choice (initially <c>auto</c>).</summary>
    /// <param name="allGather">All-gather algorithm.</param>
    /// <param name="allReduce">All-reduce algorithm.</param>
    /// <param name="reduceScatter">Reduce-scatter algorithm.</param>
    /// <param name="allToAll">All-to-all algorithm.</param>
    public AstraSimBuilder Collectives(string? allGather = null, string? allReduce = null, string? reduceScatter = null, string? allToAll = null)
    {
        _collectives = new AstraCollectivesConfig(
            allGather ?? _collectives.AllGather, allReduce ?? _collectives.AllReduce,
            reduceScatter ?? _collectives.ReduceScatter, allToAll ?? _collectives.AllToAll);
        return this;
    }

    /// <summary>AstraSim system options (<c>astra.sys_options</c>); default none. Each null leaves that option unset.</summary>
    /// <param name="endpointDelay">Endpoint delay (≥ 0).</param>
    /// <param name="activeChunksPerDimension">Active chunks per dimension (≥ 1).</param>
    /// <param name="preferredDatasetSplits">Preferred dataset splits (≥ 1).</param>
    /// <param name="collectiveArbitration">Collective arbitration policy.</param>
    public AstraSimBuilder SystemOptions(int? endpointDelay = null, int? activeChunksPerDimension = null, int? preferredDatasetSplits = null, string? collectiveArbitration = null)
    {
        _sysOptions = new AstraSysOptions(endpointDelay, activeChunksPerDimension, preferredDatasetSplits, collectiveArbitration);
        return this;
    }

    private AstraSimBuilder Mode(AstraSimMode mode)
    {
        _mode = mode;
        return this;
    }

    /// <summary>The <c>execution_backend</c> section these settings describe.</summary>
    /// <returns>The section (checked when the simulation is built).</returns>
    public ExecutionBackendConfig ToConfig() =>
        new(ExecutionBackendKind.AstraSim, new AstraSimConfig(_networkBackend, _mode, _collectives, _sysOptions, _binary));
}
