namespace RapidLlm.Operations;

/// <summary>
/// Every operator of one decoder layer, plus the embedding and LM head, costed forward and backward
/// (the reference's <c>compute_all_gemm_and_node_times</c>).
/// </summary>
/// <param name="Mode">The parallelism mode the costs were computed for.</param>
/// <param name="Shapes">The unsharded GEMM shapes.</param>
/// <param name="QkvProjection"><c>qkv_proj</c>.</param>
/// <param name="Attention"><c>attention</c>: the whole attention block (standard or FlashAttention).</param>
/// <param name="AttentionParts">Standard attention's parts (<c>attention_score</c>, <c>attention_scale_softmax</c>, <c>attention_output</c>); empty for FlashAttention.</param>
/// <param name="OutputProjection"><c>output_proj</c>.</param>
/// <param name="Ffn1"><c>ffn1</c>.</param>
/// <param name="Activation"><c>gelu</c> (GELU or SwiGLU).</param>
/// <param name="Ffn2"><c>ffn2</c>.</param>
/// <param name="LayerNorm1"><c>layernorm1</c> with the first residual add.</param>
/// <param name="LayerNorm2"><c>layernorm2</c> with the second residual add.</param>
/// <param name="Embedding"><c>embedding</c>.</param>
/// <param name="LinearSoftmax"><c>linear_softmax</c>.</param>
/// <param name="Nodes">The pipeline node durations.</param>
internal sealed record LayerOperationCosts(
    ParallelismMode Mode,
    LayerGemmShapes Shapes,
    OperationCost QkvProjection,
    OperationCost Attention,
    RapidLlm.Common.EquatableArray<OperationCost> AttentionParts,
    OperationCost OutputProjection,
    OperationCost Ffn1,
    OperationCost Activation,
    OperationCost Ffn2,
    OperationCost LayerNorm1,
    OperationCost LayerNorm2,
    OperationCost Embedding,
    OperationCost LinearSoftmax,
    NodeBreakdown Nodes)
{
    /// <summary>All operators in a stable order (layer operators first, then attention parts, embedding and LM head).</summary>
    public IEnumerable<OperationCost> All()
    {
        yield return QkvProjection;
        yield return Attention;
        yield return OutputProjection;
        yield return Ffn1;
        yield return Activation;
        yield return Ffn2;
        yield return LayerNorm1;
        yield return LayerNorm2;
        foreach (var part in AttentionParts) yield return part;
        yield return Embedding;
        yield return LinearSoftmax;
    }

    /// <summary>Finds an operator by its reference name.</summary>
    /// <param name="name">The name, e.g. <c>qkv_proj</c>.</param>
    /// <returns>The operator, or null.</returns>
    public OperationCost? Find(string name) => All().FirstOrDefault(op => op.Name == name);
}
