using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>The YAML reader's checks of a vision transformer's patching, for models built in code.</summary>
internal static class VisionShapeCheck
{
    public static void Check(TransformerConfig t, Action<string, object?, string> error)
    {
        if (!t.IsVit)
        {
            if (t.Vision is not null) error("model_param.vision", null, "vision settings are only allowed for ViT model types (vit, vit_dinov3)");
            return;
        }

        if (t.Vision is not { } v)
        {
            error("model_param.vision", null, "a ViT model needs image_size and patch_size");
            return;
        }

        foreach (var (path, value) in new[]
                 {
                     ("model_param.vision.image_size", v.ImageHeight), ("model_param.vision.image_size", v.ImageWidth),
                     ("model_param.vision.patch_size", v.PatchHeight), ("model_param.vision.patch_size", v.PatchWidth),
                 })
        {
            if (value < 1) error(path, value, "must be ≥ 1");
        }

        if (v.PatchHeight < 1 || v.PatchWidth < 1) return;
        if (v.ImageHeight % v.PatchHeight != 0 || v.ImageWidth % v.PatchWidth != 0)
            error("model_param.vision.image_size", $"{v.ImageHeight}x{v.ImageWidth}", $"must be divisible by the patch size {v.PatchHeight}x{v.PatchWidth}");
        else if (t.SeqLen < v.NumPatches + t.VisionPrefixTokens)
            error("model_param.seq_len", t.SeqLen, $"must be ≥ the ViT token count {v.NumPatches + t.VisionPrefixTokens} (patches plus prefix tokens)");
        if (t.DecodeLen is > 0) error("model_param.decode_len", t.DecodeLen, "must be 0 for ViT models");
        if (t.DisableEmbeddingUnembedding) error("model_param.disable_embedding_unembedding", true, "ViT models cannot disable the patch embedding and head");
    }
}
