namespace RapidLlm.Configuration;

/// <summary>
/// Which of the two YAML layouts a file was written in. Both are read into the same records; the layout only tells
/// where the values came from (docs/configuration.md lists both).
/// </summary>
public enum SchemaVersion
{
    /// <summary>
    /// The first layout: <c>parallelism.lp</c> for pipeline stages and one <c>parallelism.dp</c>, the
    /// <c>mixed_precision</c>/<c>param_storage_mode</c> flags, and flat <c>num_experts</c>/<c>top_k</c> MoE keys.
    /// </summary>
    Legacy,

    /// <summary>
    /// The current layout: <c>parallelism.pp</c>, separate <c>parallelism.train</c> and <c>parallelism.inference</c>
    /// blocks, explicit precisions per tensor kind, and a <c>moe:</c> block.
    /// </summary>
    Current,
}
