using RapidLlm.Common;

namespace RapidLlm.Configuration;

/// <summary>
/// A hardware description (devices, memory, network, the parallelism and software settings of a run, the execution
/// backend), normalised from either YAML schema. Load one with <see cref="FromYaml(string)"/> or
/// <see cref="LoadYaml(string)"/> (which also returns warnings and the schema used), or start from <c>HardwarePresets</c>;
/// change a run's settings with the builder (<c>Parallelism</c>, <c>Network</c>, <c>Software</c>).
/// </summary>
public sealed partial record HardwareConfig
{
    /// <summary>Creates a hardware description.</summary>
    /// <param name="software">Software settings (<c>sw_param</c>).</param>
    /// <param name="technology">Device technology (<c>tech_param</c>).</param>
    /// <param name="memoryHierarchy">Memory levels, innermost first (<c>memory_hierarchy</c>).</param>
    /// <param name="parallelism">Parallelism (<c>parallelism</c>).</param>
    /// <param name="network">Network (<c>network</c>).</param>
    /// <param name="executionBackend">Execution backend; default analytical.</param>
    /// <param name="kvCacheType">Inference KV-cache placement (<c>inference.kvcache_type</c>); default <c>hbm_only</c>, unused.</param>
    internal HardwareConfig(
        SoftwareConfig software,
        TechnologyConfig technology,
        EquatableArray<MemoryLevelConfig> memoryHierarchy,
        ParallelismConfig parallelism,
        NetworkConfig network,
        ExecutionBackendConfig executionBackend,
        string kvCacheType)
    {
        Software = software;
        Technology = technology;
        MemoryHierarchy = memoryHierarchy;
        Parallelism = parallelism;
        Network = network;
        ExecutionBackend = executionBackend;
        KvCacheType = kvCacheType;
    }

    /// <summary>Software settings (<c>sw_param</c>).</summary>
    internal SoftwareConfig Software { get; init; }

    /// <summary>Device technology (<c>tech_param</c>).</summary>
    internal TechnologyConfig Technology { get; init; }

    /// <summary>Peak bandwidth of device memory (HBM), in bytes per second.</summary>
    public double MemoryBandwidthBytesPerSecond => Technology.Dram.BandwidthBytesPerSecond;

    /// <summary>Capacity of device memory (HBM) of one device, in bytes.</summary>
    public double MemoryCapacityBytes => Technology.Dram.SizeBytes;

    /// <summary>Memory levels, innermost first (<c>memory_hierarchy</c>).</summary>
    internal EquatableArray<MemoryLevelConfig> MemoryHierarchy { get; init; }

    /// <summary>Parallelism (<c>parallelism</c>).</summary>
    internal ParallelismConfig Parallelism { get; init; }

    /// <summary>Network (<c>network</c>).</summary>
    internal NetworkConfig Network { get; init; }

    /// <summary>The execution backend the hardware selects (<c>execution_backend</c>); default analytical.</summary>
    public ExecutionBackendConfig ExecutionBackend { get; init; }

    /// <summary>Inference KV-cache placement (<c>inference.kvcache_type</c>); default <c>hbm_only</c>, unused.</summary>
    internal string KvCacheType { get; init; }
}
