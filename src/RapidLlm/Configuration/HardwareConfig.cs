using RapidLlm.Common;

namespace RapidLlm.Configuration;

/// <summary>
/// A hardware description, normalised from either YAML schema. Load one with <see cref="FromYaml(string)"/>
/// or <see cref="LoadYaml(string)"/> (which also returns warnings and the schema used).
/// </summary>
/// <param name="Software">Software settings (<c>sw_param</c>).</param>
/// <param name="Technology">Device technology (<c>tech_param</c>).</param>
/// <param name="MemoryHierarchy">Memory levels, innermost first (<c>memory_hierarchy</c>).</param>
/// <param name="Parallelism">Parallelism (<c>parallelism</c>).</param>
/// <param name="Network">Network (<c>network</c>).</param>
/// <param name="ExecutionBackend">Execution backend; default analytical.</param>
/// <param name="KvCacheType">Inference KV-cache placement (<c>inference.kvcache_type</c>); default <c>hbm_only</c>, unused.</param>
public sealed partial record HardwareConfig(
    SoftwareConfig Software,
    TechnologyConfig Technology,
    EquatableArray<MemoryLevelConfig> MemoryHierarchy,
    ParallelismConfig Parallelism,
    NetworkConfig Network,
    ExecutionBackendConfig ExecutionBackend,
    string KvCacheType);
