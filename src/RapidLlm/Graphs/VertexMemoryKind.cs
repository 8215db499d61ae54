namespace RapidLlm.Graphs;

/// <summary>
/// What a compute vertex allocates or frees in the memory timeline. Pipeline graphs use the first
/// four kinds; flattened per-rank graphs use the per-operator kinds.
/// </summary>
internal enum VertexMemoryKind
{
    /// <summary>No memory effect.</summary>
    None,
    /// <summary>A whole transformer block.</summary>
    Transformer,
    /// <summary>The token embedding.</summary>
    Embedding,
    /// <summary>The LM head (linear + softmax).</summary>
    Softmax,
    /// <summary>The optimizer step.</summary>
    Optimizer,
    /// <summary>First layer norm of a block.</summary>
    LayerNorm1,
    /// <summary>Q/K/V projection.</summary>
    QkvProjection,
    /// <summary>Attention core.</summary>
    Attention,
    /// <summary>Attention output projection.</summary>
    OutputProjection,
    /// <summary>Second layer norm of a block.</summary>
    LayerNorm2,
    /// <summary>The feed-forward group (ffn1, activation, ffn2).</summary>
    Mlp,
    /// <summary>MoE router.</summary>
    Router,
}
