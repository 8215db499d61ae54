using System.Globalization;
using System.Text;
using RapidLlm.Configuration;

namespace RapidLlm.HuggingFace;

/// <summary>
/// Vision transformers in a Hugging Face <c>config.json</c>: <c>vit</c> (ViTModel / ViTForImageClassification) and
/// <c>dinov3_vit</c> (DINOv3). The reference's importer has no vision families; this mapping is RapidLlm's own.
/// </summary>
/// <remarks>
/// The reference models a fixed number of prefix tokens per type: one class token for <c>vit</c>, a class token and four
/// registers for <c>vit_dinov3</c> (which also has a SwiGLU MLP). A gated DINOv3 with four registers maps exactly onto
/// <c>vit_dinov3</c>; one with another register count, or a DINOv3 with a plain MLP, is written with an explicit
/// <c>seq_len</c> holding its real token count, and a note says what the reference's model then approximates.
/// </remarks>
internal static class HuggingFaceVisionImporter
{
    /// <summary>The Hugging Face <c>model_type</c> names this importer handles.</summary>
    public static IReadOnlyList<string> Names { get; } = ["dinov3_vit", "vit"];

    /// <summary>Whether a Hugging Face <c>model_type</c> is a vision transformer.</summary>
    public static bool Handles(string hfType) => Names.Contains(Normalise(hfType), StringComparer.Ordinal);

    public static string BuildYaml(HuggingFaceConfigFields f, HuggingFaceImportOptions options, string hfType, List<string> notes)
    {
        var dinov3 = Normalise(hfType) == "dinov3_vit";
        var shape = ReadShape(f, options, dinov3);
        f.ThrowIfErrors();

        var patches = shape.Image.Height / shape.Patch.Height * (shape.Image.Width / shape.Patch.Width);
        var modelType = dinov3 && shape.Gated ? "vit_dinov3" : "vit";
        var modelledPrefix = modelType == "vit_dinov3" ? 5 : 1;
        var seqLen = SequenceLength(options.SequenceLength, dinov3, shape, patches, modelledPrefix, notes);
        if (seqLen is { } explicitLength && explicitLength < patches + modelledPrefix)
            f.Error("seq_len", explicitLength.ToString(CultureInfo.InvariantCulture), $"must be at least the {patches + modelledPrefix} tokens of the patching");
        f.ThrowIfErrors();
        return Yaml(hfType, options, modelType, seqLen, shape);
    }

    /// <summary>The encoder's shape, image and patching, checked; every problem goes to <paramref name="f"/>.</summary>
    private static VisionShape ReadShape(HuggingFaceConfigFields f, HuggingFaceImportOptions options, bool dinov3)
    {
        var hidden = f.Int("hidden_size") ?? f.Missing("hidden_size", "the model width");
        var layers = f.Int("num_hidden_layers") ?? f.Missing("num_hidden_layers", "the encoder depth");
        var heads = f.Int("num_attention_heads") ?? f.Missing("num_attention_heads", "the head count");
        var intermediate = f.Int("intermediate_size") ?? 4 * hidden;
        var patch = f.IntPair("patch_size") ?? (f.Missing("patch_size", "the patch side in pixels"), 1);
        var image = options.ImageSize is { } side ? (side, side) : f.IntPair("image_size") ?? (f.Missing("image_size", "the image side in pixels (or pass an image size)"), 1);
        var channels = f.Int("num_channels") ?? 3;
        if (channels != 3) f.Error("num_channels", channels.ToString(CultureInfo.InvariantCulture), "only 3-channel (RGB) images are modelled");
        if (patch.Item1 < 1 || patch.Item2 < 1) f.Error("patch_size", $"{patch.Item1}x{patch.Item2}", "must be positive");
        else if (image.Item1 < 1 || image.Item2 < 1) f.Error("image_size", $"{image.Item1}x{image.Item2}", "must be positive");
        else if (image.Item1 % patch.Item1 != 0 || image.Item2 % patch.Item2 != 0)
            f.Error("image_size", $"{image.Item1}x{image.Item2}", $"must be divisible by the patch size {patch.Item1}x{patch.Item2}");
        if (options.DecodeLength != 0)
            f.Error("decode_len", options.DecodeLength.ToString(CultureInfo.InvariantCulture), "a vision transformer has no decode; the decode length must be 0");
        var flash = options.UseFlashAttention ?? false;
        var tile = options.FlashTileSize;
        if (flash && tile is null)
            f.Error("attention_tile_size", null, "flash attention is on but no tile size is known; pass a tile size (--flash-tile-size)");

        var gated = dinov3 ? f.Bool("use_gated_mlp") ?? false : false;
        var registers = dinov3 ? Math.Max(0, f.Int("num_register_tokens") ?? 0) : 0;
        var classes = options.NumClasses ?? Classes(f, dinov3);
        return new VisionShape(hidden, layers, heads, intermediate, patch, image, flash, tile, gated, registers, classes);
    }

    /// <summary>
    /// The <c>seq_len</c> to write (the option's, else the real token count where the modelled type's fixed prefix
    /// would miscount it, else none), with a note saying how a DINOv3 maps onto the modelled types.
    /// </summary>
    private static int? SequenceLength(int? requested, bool dinov3, VisionShape shape, int patches, int modelledPrefix, List<string> notes)
    {
        var registers = shape.Registers;
        var realTokens = patches + 1 + registers;
        var seqLen = requested;
        if (dinov3 && !shape.Gated)
        {
            notes.Add($"DINOv3 with a plain (GELU) MLP maps to model_type 'vit' (vit_dinov3 means SwiGLU); seq_len holds its {realTokens} tokens (class + {registers} registers + {patches} patches), and the head's pooling then counts the registers as patches.");
            seqLen ??= realTokens;
        }
        else if (dinov3 && registers != 4)
        {
            if (realTokens > patches + modelledPrefix)
            {
                notes.Add($"This DINOv3 has {registers} register tokens where the reference's vit_dinov3 assumes 4; seq_len holds its {realTokens} tokens, and the pooling counts the extra registers as patches.");
                seqLen ??= realTokens;
            }
            else
            {
                notes.Add($"This DINOv3 has {registers} register tokens where the reference's vit_dinov3 assumes 4, so the estimate includes {4 - registers} token(s) the model does not have.");
            }
        }
        else if (dinov3)
        {
            notes.Add("Mapped Hugging Face model_type 'dinov3_vit' to RapidLlm model_type 'vit_dinov3'.");
        }

        return seqLen;
    }

    private static string Yaml(string hfType, HuggingFaceImportOptions options, string modelType, int? seqLen, VisionShape shape)
    {
        var y = new StringBuilder();
        y.Append("# Imported from a Hugging Face config.json (model_type ").Append(hfType).Append(") by RapidLlm.\n");
        y.Append("model_param:\n");
        y.Append("  mode: ViT\n");
        y.Append("  run_type: ").Append(options.RunType == RunType.Inference ? "inference" : "training").Append('\n');
        y.Append("  tied_embeddings: true\n");
        y.Append("  model_type: ").Append(modelType).Append('\n');
        y.Append("  global_batch_size: ").Append(I(options.GlobalBatchSize)).Append('\n');
        y.Append("  gradient_accumulation_steps: ").Append(I(options.GradientAccumulationSteps)).Append('\n');
        if (seqLen is { } s) y.Append("  seq_len: ").Append(I(s)).Append('\n');
        if (options.RunType == RunType.Inference) y.Append("  decode_len: 0\n");
        y.Append("  hidden_dim: ").Append(I(shape.Hidden)).Append('\n');
        y.Append("  vision:\n");
        y.Append("    image_size: ").Append(Size(shape.Image)).Append('\n');
        y.Append("    patch_size: ").Append(Size(shape.Patch)).Append('\n');
        y.Append("  attention:\n");
        y.Append("    attention_type: mha\n    num_heads: ").Append(I(shape.Heads)).Append('\n');
        y.Append("    use_flashattention: ").Append(shape.Flash ? "true" : "false").Append('\n');
        y.Append("    attention_tile_size: ").Append(shape.Tile is { } t ? I(t) : "null").Append('\n');
        y.Append("  intermediate_size: ").Append(I(shape.Intermediate)).Append('\n');
        y.Append("  moe:\n    num_experts: 1\n    top_k: 1\n    moe_intermediate_size: ").Append(I(shape.Intermediate))
            .Append("\n    n_shared_experts: 0\n    moe_layer_freq: 1\n    first_k_dense_replace: ").Append(I(shape.Layers)).Append('\n');
        y.Append("  vocab_size: ").Append(I(shape.Classes)).Append("  # classifier outputs; 0 = feature encoder\n");
        y.Append("  num_layers: ").Append(I(shape.Layers)).Append('\n');
        return y.ToString();
    }

    private sealed record VisionShape(
        int Hidden, int Layers, int Heads, int Intermediate, (int Height, int Width) Patch, (int Height, int Width) Image,
        bool Flash, int? Tile, bool Gated, int Registers, int Classes);

    /// <summary>
    /// A classification head's outputs (<c>id2label</c> entries, else <c>num_labels</c>) when the architecture is an image
    /// classifier; 0 for a backbone (ViTModel, DINOv3).
    /// </summary>
    private static int Classes(HuggingFaceConfigFields f, bool dinov3)
    {
        if (dinov3) return 0;
        var classifier = f.Strings("architectures").Any(a => a.EndsWith("ForImageClassification", StringComparison.Ordinal));
        return classifier ? f.EntryCount("id2label") ?? f.Int("num_labels") ?? 0 : 0;
    }

    private static string Normalise(string hfType) => hfType.Trim().ToLowerInvariant().Replace('-', '_');

    private static string Size((int Height, int Width) size) =>
        size.Height == size.Width ? I(size.Height) : $"[{I(size.Height)}, {I(size.Width)}]";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
