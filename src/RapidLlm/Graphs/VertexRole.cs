namespace RapidLlm.Graphs;

/// <summary>
/// What a vertex stands for in the model, set by the builder that creates it. Graph passes (flattening, overlap,
/// memory) decide by role, never by display name, so renaming a vertex cannot change an estimate.
/// </summary>
public enum VertexRole
{
    /// <summary>No role a pass looks for: transfers, ordering links, roots and anything else.</summary>
    Other,

    /// <summary>The token embedding of one micro-batch (pipeline graphs).</summary>
    Embedding,

    /// <summary>A whole transformer (or vision) block of one micro-batch; flattening expands it into per-rank operator chains.</summary>
    TransformerLayer,

    /// <summary>The LM head (linear + softmax) of one micro-batch; flattening places it on rank 0 of its stage.</summary>
    LmHead,

    /// <summary>A stage's optimizer step; flattening gives every rank a copy.</summary>
    Optimizer,

    /// <summary>One operator of a layer's per-rank chain other than attention (layer and flattened graphs).</summary>
    LayerOperator,

    /// <summary>The attention operator of a layer's per-rank chain; context-parallel overlap splits the collective before it.</summary>
    Attention,
}
