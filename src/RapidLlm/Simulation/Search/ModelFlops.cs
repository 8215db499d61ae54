using RapidLlm.Configuration;
using RapidLlm.Simulation;

namespace RapidLlm.Search;

/// <summary>
/// Parameter counts and model FLOPs of a transformer, for model FLOPs utilisation (MFU) as PaLM (Chowdhery et al., 2022,
/// appendix B) defines it: a token costs 6·N FLOPs to train (2·N forward) over the N parameters a token passes through
/// (the matrix weights of every layer, the active experts of MoE layers and the LM head; not the embedding lookup, though a ViT's patch embedding counts), plus
/// 12·L·H·Q·T (4·L·H·Q·T forward) for attention over T context positions (H heads of width Q, no causal halving).
/// Recomputation is not model work: MFU is the same whether or not activations are recomputed.
/// </summary>
internal static class ModelFlops
{
    /// <summary>
    /// Every parameter of the model: all layers (all experts and routers), their two norms and the final norm, embeddings,
    /// an untied LM head, a ViT's patch embedding and head. Linear layers carry no biases (Llama-style).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <returns>The count (Llama-2-7B with an untied head: 6,738,415,616).</returns>
    public static long ParameterCount(TransformerConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long total = 0;
        for (var layer = 0; layer < model.NumLayers; layer++) total += LayerParameters(model, layer, activeOnly: false);
        // RMSNorm has a scale per channel; GPT's and ViT's LayerNorm a scale and a shift (a ViT head counts its final norm).
        long h = model.HiddenDim;
        var perNorm = model.ModelType is ModelType.Gpt or ModelType.Vit or ModelType.VitDinov3 ? 2 * h : h;
        total += (2L * model.NumLayers + (model.IsVit ? 0 : 1)) * perNorm;
        return total + VocabularyParameters(model, countEmbedding: true);
    }

    /// <summary>The parameters one token's matrix multiplications use (active experts only, the LM head, no embedding lookup).</summary>
    /// <param name="model">The model.</param>
    /// <returns>The count.</returns>
    public static long ActiveMatrixParameters(TransformerConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long total = 0;
        for (var layer = 0; layer < model.NumLayers; layer++) total += LayerParameters(model, layer, activeOnly: true);
        return total + VocabularyParameters(model, countEmbedding: false);
    }

    /// <summary>Model FLOPs of training one token: 6·N + 12·L·H·Q·T.</summary>
    /// <param name="model">The model (its <c>seq_len</c> is T).</param>
    /// <returns>FLOPs.</returns>
    public static double TrainingFlopsPerToken(TransformerConfig model) => 3 * ForwardFlopsPerToken(model, model.SeqLen);

    /// <summary>Model FLOPs of one token's forward pass at a context of <paramref name="contextTokens"/>: 2·N + 4·L·H·Q·T.</summary>
    /// <param name="model">The model.</param>
    /// <param name="contextTokens">Positions attended to.</param>
    /// <returns>FLOPs.</returns>
    public static double ForwardFlopsPerToken(TransformerConfig model, double contextTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        var attentionWidth = model.Attention.Type == AttentionType.Mla && model.Attention.QkNopeHeadDim is { } nope && model.Attention.QkRopeHeadDim is { } rope
            ? (double)model.Attention.NumHeads * (nope + rope)
            : (double)model.Attention.NumHeads * model.HeadDim;
        return 2.0 * ActiveMatrixParameters(model) + 4.0 * model.NumLayers * attentionWidth * contextTokens;
    }

    private static long LayerParameters(TransformerConfig model, int layer, bool activeOnly)
    {
        long h = model.HiddenDim;
        var projections = model.GatedMlp ? 3L : 2L;
        long attention;
        if (WorkloadFactory.MlaOf(model) is { } mla)
        {
            attention = mla.ProjectionStageParameters(h) + mla.OutputParameters(h);
        }
        else
        {
            long query = (long)model.Attention.NumHeads * model.HeadDim;
            long kv = (long)model.Attention.KvHeads * model.HeadDim;
            attention = h * (query + 2 * kv) + query * h;
        }

        if (!model.Moe.IsMoeLayer(layer)) return attention + projections * model.IntermediateSize * h;
        var moe = model.Moe;
        var experts = (activeOnly ? moe.TopK : moe.NumExperts) + moe.SharedExperts;
        return attention + experts * projections * moe.MoeIntermediateSize * h + h * moe.NumExperts;
    }

    private static long VocabularyParameters(TransformerConfig model, bool countEmbedding)
    {
        long h = model.HiddenDim;
        // A ViT's patch embedding is a matrix multiplication per patch, so it counts either way.
        if (WorkloadFactory.VisionOf(model) is { } vision) return vision.PatchEmbeddingParameters(h) + vision.HeadParameters(h);
        if (model.DisableEmbeddingUnembedding) return 0;
        var table = (long)model.VocabSize * h;
        // The LM head multiplies by the vocabulary matrix whether or not it is tied to the embedding.
        return countEmbedding ? (model.TiedEmbeddings ? table : 2 * table) : table;
    }
}
