using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// AstraSim settings (<c>execution_backend.astra</c>). Defaults: hybrid mode, the <c>analytical</c> network backend,
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

    /// <summary>AstraSim system options (<c>astra.sys_options</c>); default none.</summary>
    /// <param name="options">The options.</param>
    public AstraSimBuilder SystemOptions(AstraSysOptions options)
    {
        _sysOptions = options;
        return this;
    }

    private AstraSimBuilder Mode(AstraSimMode mode)
    {
        _mode = mode;
        return this;
    }

    internal ExecutionBackendConfig ToConfig(List<ConfigDiagnostic> problems)
    {
        if (_binary is not null && string.IsNullOrWhiteSpace(_binary))
            problems.Add(BuilderDiagnostics.Error("execution_backend.astra.binary", _binary, "must be a file path; leave it unset to find the binary at run time"));
        if (string.IsNullOrWhiteSpace(_networkBackend))
            problems.Add(BuilderDiagnostics.Error("execution_backend.astra.backend", _networkBackend, "must name an AstraSim network backend, e.g. analytical"));
        return new ExecutionBackendConfig(ExecutionBackendKind.AstraSim,
            new AstraSimConfig(_networkBackend, _mode, _collectives, _sysOptions, string.IsNullOrWhiteSpace(_binary) ? null : _binary));
    }
}
