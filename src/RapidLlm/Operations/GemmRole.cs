namespace RapidLlm.Operations;

/// <summary>What a GEMM computes, which decides how each parallelism mode shards it.</summary>
internal enum GemmRole
{
    /// <summary>Q·Kᵀ per head group.</summary>
    AttentionScore,
    /// <summary>P·V per head group.</summary>
    AttentionOutput,
    /// <summary>Fused QKV projection (column-parallel).</summary>
    Qkv,
    /// <summary>Attention output projection (row-parallel).</summary>
    OutputProjection,
    /// <summary>First MLP GEMM (column-parallel).</summary>
    Ffn1,
    /// <summary>Second MLP GEMM (row-parallel).</summary>
    Ffn2,
    /// <summary>LM head (vocabulary-parallel).</summary>
    LinearSoftmax,
    /// <summary>MLA down-projection into the latent space (replicated across tp).</summary>
    MlaDownProjection,
}
