using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// The shape of a vision transformer (ViT) without a run: encoder widths and depth, heads, patching and classifier.
/// Turn it into a <see cref="ModelConfig"/> with <see cref="Training"/> or <see cref="Inference"/>, e.g.
/// <c>ModelPresets.VitBase16.Inference(batch: 64)</c>. The attention is bidirectional multi-head attention over the
/// patch tokens and the prefix tokens (one class token; DINOv3 adds four registers).
/// </summary>
/// <param name="Name">Display name, e.g. <c>ViT-Base/16</c>.</param>
/// <param name="ModelType"><see cref="ModelType.Vit"/> (GELU MLP, class token) or <see cref="ModelType.VitDinov3"/> (SwiGLU MLP, class and four register tokens).</param>
/// <param name="HiddenDim">Model width D.</param>
/// <param name="NumLayers">Encoder blocks.</param>
/// <param name="NumHeads">Attention heads.</param>
/// <param name="IntermediateSize">MLP width.</param>
/// <param name="ImageSize">Default square image side in pixels (a run may choose another).</param>
/// <param name="PatchSize">Square patch side in pixels (divides the image side).</param>
/// <param name="NumClasses">Classifier outputs; 0 for a feature encoder without a classifier.</param>
public sealed record VisionTransformerArchitecture(
    string Name,
    ModelType ModelType,
    int HiddenDim,
    int NumLayers,
    int NumHeads,
    int IntermediateSize,
    int ImageSize,
    int PatchSize,
    int NumClasses)
{
    /// <summary>Tokens before the patches: the class token, plus four registers for DINOv3.</summary>
    public int PrefixTokens => ModelType == ModelType.VitDinov3 ? 5 : 1;

    /// <summary>Tokens the encoder sees per image: the patches plus the prefix tokens.</summary>
    /// <param name="imageSize">Square image side in pixels; default <see cref="ImageSize"/>.</param>
    /// <returns>The sequence length.</returns>
    public int TokensPerImage(int? imageSize = null)
    {
        var side = (imageSize ?? ImageSize) / PatchSize;
        return side * side + PrefixTokens;
    }

    /// <summary>A training run: forward and backward over <paramref name="globalBatch"/> images per optimizer step.</summary>
    /// <param name="globalBatch">Images per optimizer step.</param>
    /// <param name="imageSize">Square image side in pixels; default <see cref="ImageSize"/>. Must be a multiple of <see cref="PatchSize"/>.</param>
    /// <param name="gradientAccumulationSteps">Accumulation steps per optimizer step; default 1.</param>
    /// <param name="flashAttention">Model the FlashAttention kernel; default false.</param>
    /// <param name="attentionTileSize">FlashAttention KV tile; default 128, used only with <paramref name="flashAttention"/>.</param>
    /// <returns>The model description (validated against hardware when a simulation is built).</returns>
    public ModelConfig Training(int globalBatch, int? imageSize = null, int gradientAccumulationSteps = 1, bool flashAttention = false, int attentionTileSize = 128) =>
        Build(RunType.Training, globalBatch, imageSize, gradientAccumulationSteps, flashAttention, attentionTileSize);

    /// <summary>An inference run: one forward pass over <paramref name="batch"/> images (there is no decode).</summary>
    /// <param name="batch">Images served together by one replica.</param>
    /// <param name="imageSize">Square image side in pixels; default <see cref="ImageSize"/>. Must be a multiple of <see cref="PatchSize"/>.</param>
    /// <param name="flashAttention">Model the FlashAttention kernel; default true.</param>
    /// <param name="attentionTileSize">FlashAttention KV tile; default 128.</param>
    /// <returns>The model description.</returns>
    public ModelConfig Inference(int batch, int? imageSize = null, bool flashAttention = true, int attentionTileSize = 128) =>
        Build(RunType.Inference, batch, imageSize, 1, flashAttention, attentionTileSize);

    private ModelConfig Build(RunType runType, int batch, int? imageSize, int accumulation, bool flash, int tile)
    {
        var side = imageSize ?? ImageSize;
        var attention = new AttentionConfig(AttentionType.Mha, NumHeads, NumHeads, flash, flash ? tile : null);
        var moe = new MoeConfig(1, 1, IntermediateSize, 0, 1.0, 1, 0);
        var vision = new VisionConfig(side, side, PatchSize, PatchSize);
        var tokens = PatchSize > 0 ? vision.NumPatches + PrefixTokens : PrefixTokens;
        // The classifier size travels as vocab_size, as in the YAML schema.
        var transformer = new TransformerConfig(runType, ModelType, true, false, batch, BatchScope.PerReplica, accumulation,
            tokens, runType == RunType.Inference ? 0 : null, HiddenDim, IntermediateSize, NumClasses, NumLayers, attention, moe, vision, -1);
        return new ModelConfig(ModelMode.Vit, transformer, null);
    }
}
