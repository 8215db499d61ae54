namespace RapidLlm.Operations;

/// <summary>The GEMMs of one decoder layer plus the LM head, before any sharding.</summary>
/// <param name="Qkv">Fused QKV projection (B·S, D, q + 2kv).</param>
/// <param name="AttentionScore">Scores per key/value head (B·kv, S·H/kv, hd, S_kv).</param>
/// <param name="AttentionOutput">Context per key/value head (B·kv, S·H/kv, S_kv, hd).</param>
/// <param name="OutputProjection">Output projection (B·S, q, D).</param>
/// <param name="Ffn1">First MLP GEMM (B·S, D, FFN1 width).</param>
/// <param name="Ffn2">Second MLP GEMM (B·S, I, D).</param>
/// <param name="Linear">LM head (B·S, D, V); for decode steps it keeps the batch apart as (B, 1, D, V).</param>
internal sealed record LayerGemmShapes(
    GemmShape Qkv,
    GemmShape AttentionScore,
    GemmShape AttentionOutput,
    GemmShape OutputProjection,
    GemmShape Ffn1,
    GemmShape Ffn2,
    GemmShape Linear)
{
    /// <summary>Shapes for a full sequence (training or prefill).</summary>
    /// <param name="model">Model dimensions.</param>
    /// <param name="batch">Effective batch B.</param>
    /// <param name="sequence">Sequence length S.</param>
    /// <returns>The shapes.</returns>
    public static LayerGemmShapes ForSequence(TransformerDims model, long batch, long sequence)
    {
        var tokens = batch * sequence;
        return new(
            GemmShape.Single(tokens, model.HiddenDim, model.QuerySize + 2 * model.KvSize),
            new(batch * model.KvHeads, sequence * model.SharedHeads, model.HeadDim, sequence),
            new(batch * model.KvHeads, sequence * model.SharedHeads, sequence, model.HeadDim),
            GemmShape.Single(tokens, model.QuerySize, model.HiddenDim),
            GemmShape.Single(tokens, model.HiddenDim, model.Ffn1Width),
            GemmShape.Single(tokens, model.IntermediateSize, model.HiddenDim),
            GemmShape.Single(tokens, model.HiddenDim, model.VocabSize));
    }

    /// <summary>Shapes for one decode step: one new token per sequence attending over <paramref name="kvLength"/> cached tokens.</summary>
    /// <param name="model">Model dimensions.</param>
    /// <param name="batch">Effective batch B.</param>
    /// <param name="kvLength">KV length including the new token.</param>
    /// <returns>The shapes.</returns>
    public static LayerGemmShapes ForDecodeStep(TransformerDims model, long batch, long kvLength) => new(
        GemmShape.Single(batch, model.HiddenDim, model.QuerySize + 2 * model.KvSize),
        new(batch * model.KvHeads, model.SharedHeads, model.HeadDim, kvLength),
        new(batch * model.KvHeads, model.SharedHeads, kvLength, model.HeadDim),
        GemmShape.Single(batch, model.QuerySize, model.HiddenDim),
        GemmShape.Single(batch, model.HiddenDim, model.Ffn1Width),
        GemmShape.Single(batch, model.IntermediateSize, model.HiddenDim),
        new(batch, 1, model.HiddenDim, model.VocabSize));
}
