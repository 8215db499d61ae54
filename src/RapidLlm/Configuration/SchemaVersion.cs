namespace RapidLlm.Configuration;

/// <summary>Which version of the reference's YAML schema a file was written in.</summary>
public enum SchemaVersion
{
    /// <summary>The seed schema (reference commit 7ffb3e2): <c>lp</c>, one <c>dp</c>, precision flags, flat MoE keys.</summary>
    Seed,
    /// <summary>The newest schema (reference commit 317a2cb): <c>pp</c>, <c>parallelism.train/inference</c>, explicit precisions, <c>moe:</c> block.</summary>
    Head,
}
