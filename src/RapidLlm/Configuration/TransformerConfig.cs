using RapidLlm.Common;

namespace RapidLlm.Configuration;

/// <summary>A transformer model (LLM or ViT) and its run.</summary>
/// <param name="RunType">Training or inference. Required.</param>
/// <param name="ModelType">Architecture family. Required.</param>
/// <param name="TiedEmbeddings">Input and output embeddings share weights. Required.</param>
/// <param name="DisableEmbeddingUnembedding">Skip the embedding and LM-head ops; default false.</param>
/// <param name="GlobalBatchSize">Sequences per optimizer step (training) or per replica (inference, see <paramref name="BatchScope"/>). Required.</param>
/// <param name="BatchScope">What <paramref name="GlobalBatchSize"/> counts.</param>
/// <param name="GradientAccumulationSteps">Gradient-accumulation steps; default 1.</param>
/// <param name="SeqLen">Training sequence length, or inference total context (prefill + decode).</param>
/// <param name="DecodeLen">Decode tokens (inference only; null for training).</param>
/// <param name="HiddenDim">Model width D.</param>
/// <param name="IntermediateSize">Dense FFN width.</param>
/// <param name="VocabSize">Vocabulary (or classifier) size.</param>
/// <param name="NumLayers">Transformer layers.</param>
/// <param name="Attention">Attention settings.</param>
/// <param name="Moe">Mixture-of-experts settings (one expert means dense).</param>
/// <param name="Vision">Patch settings for ViT models, else null.</param>
/// <param name="SampleEvery">Decode sampling stride (<c>inference_param.sample_every</c>); -1 (the default) samples only the first and last step.</param>
internal sealed record TransformerConfig(
    RunType RunType,
    ModelType ModelType,
    bool TiedEmbeddings,
    bool DisableEmbeddingUnembedding,
    int GlobalBatchSize,
    BatchScope BatchScope,
    int GradientAccumulationSteps,
    int SeqLen,
    int? DecodeLen,
    int HiddenDim,
    int IntermediateSize,
    int VocabSize,
    int NumLayers,
    AttentionConfig Attention,
    MoeConfig Moe,
    VisionConfig? Vision,
    int SampleEvery)
{
    /// <summary>Per-head width: the explicit head_dim, else hidden_dim / num_heads.</summary>
    public int HeadDim => Attention.HeadDim ?? HiddenDim / Attention.NumHeads;

    /// <summary>True for ViT model types.</summary>
    public bool IsVit => ModelType is ModelType.Vit or ModelType.VitDinov3;

    /// <summary>
    /// Tokens a ViT puts before its patches: the class token, plus four register tokens for DINOv3 (the reference's
    /// fixed counts); 0 for language models. The sequence is at least patches plus these.
    /// </summary>
    public int VisionPrefixTokens => ModelType switch
    {
        ModelType.VitDinov3 => 5,
        ModelType.Vit => 1,
        _ => 0,
    };

    /// <summary>Whether the MLP is gated (SwiGLU: three weight matrices): every Llama-style family and DINOv3, not GPT or plain ViT.</summary>
    public bool GatedMlp => ModelType is not (ModelType.Gpt or ModelType.Vit);

    /// <summary>Which layers are MoE layers (all false for a dense model).</summary>
    public EquatableArray<bool> MoeLayerMask => new(Enumerable.Range(0, NumLayers).Select(Moe.IsMoeLayer));

    /// <summary>Number of MoE layers.</summary>
    public int NumMoeLayers => Enumerable.Range(0, NumLayers).Count(Moe.IsMoeLayer);

    /// <summary>True when the model has more than one expert and at least one MoE layer.</summary>
    public bool UsesMoe => Moe.NumExperts > 1 && NumMoeLayers > 0;
}

/// <summary>Attention variant.</summary>
public enum AttentionType
{
    /// <summary>Multi-head attention (kv_heads = num_heads).</summary>
    Mha,
    /// <summary>Grouped-query attention.</summary>
    Gqa,
    /// <summary>Multi-head latent attention (newest schema only).</summary>
    Mla,
}

/// <summary>Attention settings (<c>model_param.attention</c>).</summary>
/// <param name="Type">Variant. Required.</param>
/// <param name="NumHeads">Query heads. Required.</param>
/// <param name="KvHeads">Key/value heads; forced to <paramref name="NumHeads"/> for MHA and MLA, required for GQA.</param>
/// <param name="UseFlashAttention">Model the FlashAttention kernel; default false.</param>
/// <param name="AttentionTileSize">FlashAttention KV tile; required when flash is on, null otherwise.</param>
/// <param name="HeadDim">Explicit head width, or null (then hidden_dim / num_heads).</param>
/// <param name="KvLoraRank">MLA latent KV rank.</param>
/// <param name="QLoraRank">MLA latent query rank.</param>
/// <param name="QkNopeHeadDim">MLA non-rotary query/key head width.</param>
/// <param name="QkRopeHeadDim">MLA rotary query/key head width.</param>
/// <param name="VHeadDim">MLA value head width.</param>
internal sealed record AttentionConfig(
    AttentionType Type,
    int NumHeads,
    int KvHeads,
    bool UseFlashAttention,
    int? AttentionTileSize,
    int? HeadDim = null,
    int? KvLoraRank = null,
    int? QLoraRank = null,
    int? QkNopeHeadDim = null,
    int? QkRopeHeadDim = null,
    int? VHeadDim = null);

/// <summary>Mixture-of-experts settings (<c>model_param.moe</c>, or the seed's flat <c>num_experts</c>/<c>top_k</c>).</summary>
/// <param name="NumExperts">Routed experts; 1 means dense.</param>
/// <param name="TopK">Experts per token.</param>
/// <param name="MoeIntermediateSize">Expert FFN width (the seed uses intermediate_size).</param>
/// <param name="SharedExperts">Always-active shared experts; default 0.</param>
/// <param name="ExpertImbalanceFactor">Load of the hottest expert relative to the mean; default 1 (balanced), ≥ 1.</param>
/// <param name="MoeLayerFrequency">Every n-th layer after the dense prefix is MoE; default 1.</param>
/// <param name="FirstKDenseReplace">Leading dense layers; default 0.</param>
public sealed record MoeConfig(
    int NumExperts,
    int TopK,
    int MoeIntermediateSize,
    int SharedExperts,
    double ExpertImbalanceFactor,
    int MoeLayerFrequency,
    int FirstKDenseReplace)
{
    /// <summary>True if the layer with the given index is an MoE layer.</summary>
    /// <param name="layerIndex">Zero-based layer index.</param>
    public bool IsMoeLayer(int layerIndex) =>
        NumExperts > 1 && layerIndex >= FirstKDenseReplace && MoeLayerFrequency > 0
        && (layerIndex - FirstKDenseReplace) % MoeLayerFrequency == 0;
}

/// <summary>ViT patching (<c>model_param.vision</c>).</summary>
/// <param name="ImageHeight">Image height in pixels.</param>
/// <param name="ImageWidth">Image width in pixels.</param>
/// <param name="PatchHeight">Patch height (divides the image height).</param>
/// <param name="PatchWidth">Patch width (divides the image width).</param>
internal sealed record VisionConfig(int ImageHeight, int ImageWidth, int PatchHeight, int PatchWidth)
{
    /// <summary>Patches per image.</summary>
    public int NumPatches => ImageHeight / PatchHeight * (ImageWidth / PatchWidth);

    /// <summary>Colour channels per pixel; RGB, as the reference assumes.</summary>
    public const int Channels = 3;

    /// <summary>Values per patch (three colour channels).</summary>
    public int PatchDim => PatchHeight * PatchWidth * Channels;
}
