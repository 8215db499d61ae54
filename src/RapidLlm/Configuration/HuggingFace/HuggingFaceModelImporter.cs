using System.Globalization;
using System.Text;
using System.Text.Json;
using RapidLlm.Configuration;

namespace RapidLlm.HuggingFace;

/// <summary>
/// Turns a local Hugging Face <c>config.json</c> (Llama, Mistral, Mixtral, Qwen2, Phi-3, GPT-2/NeoX/J/BigCode, OPT, MPT,
/// GLM-4, DeepSeek-V3, and the vision transformers ViT and DINOv3) into a RapidLlm model and a newest-schema model YAML. Reads files only; never uses the network.
/// Key fallbacks follow the reference's <c>hf_to_config.py</c>, plus GPT-2's <c>n_embd</c>/<c>n_inner</c>.
/// </summary>
internal static class HuggingFaceModelImporter
{
    /// <summary>Imports the <c>config.json</c> at <paramref name="configJsonPath"/>.</summary>
    /// <param name="configJsonPath">The file (a folder holding <c>config.json</c> also works).</param>
    /// <param name="options">The run to encode; default: training, batch 1, the config's maximum sequence length.</param>
    /// <exception cref="ConfigurationException">The file cannot be read, is not JSON, or lacks or contradicts a needed field; every problem is listed.</exception>
    public static HuggingFaceImport Import(string configJsonPath, HuggingFaceImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configJsonPath);
        var path = Directory.Exists(configJsonPath) ? Path.Combine(configJsonPath, "config.json") : configJsonPath;
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Problem(path, "", null, "cannot read the file: " + e.Message);
        }

        return ImportJson(json, options, path);
    }

    /// <summary>Imports <c>config.json</c> text.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="options">The run to encode; default: training, batch 1.</param>
    /// <param name="sourceName">Name used in messages; default <c>config.json</c>.</param>
    /// <exception cref="ConfigurationException">The text is not JSON, or lacks or contradicts a needed field; every problem is listed.</exception>
    public static HuggingFaceImport ImportJson(string json, HuggingFaceImportOptions? options = null, string sourceName = "config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        options ??= new HuggingFaceImportOptions();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Problem(sourceName, "", null, "not valid JSON: " + e.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Problem(sourceName, "", null, "config.json must be a JSON object");
            var fields = new HuggingFaceConfigFields(document.RootElement, sourceName);
            var yaml = BuildYaml(fields, options, out var hfType, out var notes);
            var model = ModelConfig.FromYamlText(yaml, sourceName + " (imported)");
            return new HuggingFaceImport(model, yaml, hfType, notes);
        }
    }

    private static string BuildYaml(HuggingFaceConfigFields f, HuggingFaceImportOptions options, out string hfType, out List<string> notes)
    {
        notes = [];
        hfType = f.String("model_type") ?? "";
        if (hfType.Length > 0 && HuggingFaceVisionImporter.Handles(hfType)) return HuggingFaceVisionImporter.BuildYaml(f, options, hfType, notes);
        var family = Family(f, hfType);
        // The fields are read in this order so that the problems are listed in it.
        var shape = ReadShape(f, options, notes);
        var moe = ReadMoe(f, shape);
        f.ThrowIfErrors();

        var modelType = family!.ModelType;
        if (!string.Equals(hfType, YamlName(modelType), StringComparison.OrdinalIgnoreCase))
            notes.Add($"Mapped Hugging Face model_type '{hfType}' to RapidLlm model_type '{YamlName(modelType)}'.");

        var y = new StringBuilder();
        y.Append("# Imported from a Hugging Face config.json (model_type ").Append(hfType).Append(") by RapidLlm.\n");
        y.Append("model_param:\n");
        y.Append("  mode: LLM\n");
        y.Append("  run_type: ").Append(options.RunType == RunType.Inference ? "inference" : "training").Append('\n');
        y.Append("  tied_embeddings: ").Append(Bool(shape.Tied)).Append('\n');
        y.Append("  model_type: ").Append(YamlName(modelType)).Append('\n');
        y.Append("  global_batch_size: ").Append(I(options.GlobalBatchSize)).Append('\n');
        y.Append("  gradient_accumulation_steps: ").Append(I(options.GradientAccumulationSteps)).Append('\n');
        y.Append("  seq_len: ").Append(I(shape.SeqLen)).Append('\n');
        y.Append("  decode_len: ").Append(I(options.DecodeLength)).Append('\n');
        y.Append("  hidden_dim: ").Append(I(shape.Hidden)).Append('\n');
        AppendAttention(y, f, modelType, shape);
        y.Append("  intermediate_size: ").Append(I(shape.Intermediate)).Append('\n');
        AppendMoe(y, moe);
        y.Append("  vocab_size: ").Append(I(shape.Vocab)).Append('\n');
        y.Append("  num_layers: ").Append(I(shape.Layers)).Append('\n');
        f.ThrowIfErrors();
        return y.ToString();
    }

    /// <summary>The language family of <c>model_type</c> (null, with an error, when it is missing or unsupported).</summary>
    private static HuggingFaceFamily? Family(HuggingFaceConfigFields f, string hfType)
    {
        var family = hfType.Length == 0 ? null : HuggingFaceFamily.Find(hfType);
        var supported = string.Join(", ", HuggingFaceFamily.Names.Concat(HuggingFaceVisionImporter.Names).Order(StringComparer.Ordinal));
        if (hfType.Length == 0) f.Error("model_type", null, "missing; only the supported families can be imported: " + supported);
        else if (family is null) f.Error("model_type", hfType, "unsupported family; supported: " + supported);
        if (family?.SlidingWindowKey is { } slidingKey && (family.SlidingWindowIsFlag ? f.Flag(slidingKey) : f.Int(slidingKey) is > 0))
            f.Error(slidingKey, f.Raw(slidingKey), "sliding-window attention is active, and it is not modelled; this model cannot be imported faithfully");
        return family;
    }

    /// <summary>The dense shape and the run's lengths and attention kernel, from the config and the options.</summary>
    private static DenseShape ReadShape(HuggingFaceConfigFields f, HuggingFaceImportOptions options, List<string> notes)
    {
        var hidden = f.Int("hidden_size", "d_model", "dim", "n_embd") ?? f.Missing("hidden_size", "the model width (hidden_size, d_model, dim or n_embd)");
        var layers = f.Int("num_hidden_layers", "n_layer", "num_layers") ?? f.Missing("num_hidden_layers", "the layer count (num_hidden_layers, n_layer or num_layers)");
        var heads = f.Int("num_attention_heads", "n_head", "num_heads") ?? f.Missing("num_attention_heads", "the head count (num_attention_heads, n_head or num_heads)");
        var vocab = f.Int("vocab_size") ?? f.Missing("vocab_size", "the vocabulary size");
        var kvHeads = f.Int("num_key_value_heads", "num_kv_heads", "n_kv_heads");
        var headDim = f.Int("head_dim", "attention_head_dim", "head_size", "kv_channels");
        var intermediate = f.Int("intermediate_size", "mlp_dim", "n_inner") ?? 4 * hidden;
        if (options.SequenceLength is not null && options.PromptLength is not null)
            f.Error("seq_len", null, "give the prompt length or the whole sequence length (prompt + decode), not both");
        var seqLen = options.SequenceLength
            ?? (options.PromptLength is { } prompt ? prompt + options.DecodeLength : (int?)null)
            ?? f.Int("max_position_embeddings", "n_positions", "max_sequence_length", "sequence_length") ?? 2048;
        var tied = f.Bool("tie_word_embeddings") ?? true;
        var flash = options.UseFlashAttention ?? f.Bool("flash_attention", "use_flash_attention") ?? false;
        var tile = options.FlashTileSize ?? f.Int("flash_attention_block_size", "attention_tile_size");
        if (flash && tile is null)
        {
            tile = HuggingFaceImportOptions.DefaultFlashTileSize;
            notes.Add($"The config names no FlashAttention tile; using {tile} (HuggingFaceImportOptions.FlashTileSize changes it).");
        }
        if (options.RunType == RunType.Inference && options.DecodeLength > seqLen)
            f.Error("decode_len", options.DecodeLength.ToString(CultureInfo.InvariantCulture), $"the decode length exceeds the sequence length {seqLen} (prompt + decode)");
        return new DenseShape(hidden, layers, heads, vocab, kvHeads, headDim, intermediate, seqLen, tied, flash, tile);
    }

    /// <summary>The mixture-of-experts layout; a dense model gets one expert and every layer dense.</summary>
    private static MoeShape ReadMoe(HuggingFaceConfigFields f, DenseShape shape)
    {
        var experts = Math.Max(1, f.Int("num_local_experts", "num_experts", "expert_count", "n_routed_experts") ?? 1);
        var topK = Math.Min(Math.Max(1, f.Int("num_experts_per_token", "num_experts_per_tok", "router_top_k", "gate_top_k") ?? 1), experts);
        var moeIntermediate = f.Int("moe_intermediate_size") ?? shape.Intermediate;
        var shared = Math.Max(0, f.Int("n_shared_experts", "num_shared_experts") ?? 0);
        var moeFrequency = f.Int("moe_layer_freq", "moe_layer_frequency") ?? 1;
        // A dense model marks every layer dense, as the reference's importer does; the block is inert either way.
        var firstDense = experts <= 1 ? shape.Layers : f.Int("first_k_dense_replace", "first_k_dense_layers") ?? 0;
        return new MoeShape(experts, topK, moeIntermediate, shared, moeFrequency, firstDense);
    }

    // The attention block: MLA's latent ranks for DeepSeek-V3 (read here, so a missing one is a problem), else GQA or MHA.
    private static void AppendAttention(StringBuilder y, HuggingFaceConfigFields f, ModelType modelType, DenseShape shape)
    {
        y.Append("  attention:\n");
        if (modelType == ModelType.DeepSeekV3)
        {
            y.Append("    attention_type: mla\n    num_heads: ").Append(I(shape.Heads)).Append('\n');
            foreach (var key in new[] { "kv_lora_rank", "q_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim" })
                y.Append("    ").Append(key).Append(": ").Append(I(f.Int(key) ?? f.Missing(key, "required for DeepSeek-V3 multi-head latent attention"))).Append('\n');
        }
        else if (shape.KvHeads is > 0 && shape.KvHeads != shape.Heads)
        {
            y.Append("    attention_type: gqa\n    num_heads: ").Append(I(shape.Heads)).Append("\n    kv_heads: ").Append(I(shape.KvHeads.Value)).Append('\n');
        }
        else
        {
            y.Append("    attention_type: mha\n    num_heads: ").Append(I(shape.Heads)).Append("\n    kv_heads: null\n");
        }

        if (modelType == ModelType.Glm4Moe)
            y.Append("    head_dim: ").Append(I(shape.HeadDim ?? f.Missing("head_dim", "required for GLM-4 models"))).Append('\n');
        y.Append("    use_flashattention: ").Append(Bool(shape.Flash)).Append('\n');
        y.Append("    attention_tile_size: ").Append(shape.Tile is { } t ? I(t) : "null").Append('\n');
    }

    private static void AppendMoe(StringBuilder y, MoeShape moe)
    {
        y.Append("  moe:\n");
        y.Append("    num_experts: ").Append(I(moe.Experts)).Append('\n');
        y.Append("    top_k: ").Append(I(moe.TopK)).Append('\n');
        y.Append("    moe_intermediate_size: ").Append(I(moe.Intermediate)).Append('\n');
        y.Append("    n_shared_experts: ").Append(I(moe.Shared)).Append('\n');
        y.Append("    moe_layer_freq: ").Append(I(moe.Frequency)).Append('\n');
        y.Append("    first_k_dense_replace: ").Append(I(moe.FirstDense)).Append('\n');
    }

    private sealed record DenseShape(
        int Hidden, int Layers, int Heads, int Vocab, int? KvHeads, int? HeadDim, int Intermediate, int SeqLen,
        bool Tied, bool Flash, int? Tile);

    private sealed record MoeShape(int Experts, int TopK, int Intermediate, int Shared, int Frequency, int FirstDense);

    private static string YamlName(ModelType type) => type switch
    {
        ModelType.Llama => "llama",
        ModelType.Gpt => "gpt",
        ModelType.DeepSeekV3 => "deepseek_v3",
        ModelType.Glm4Moe => "glm4_moe",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static ConfigurationException Problem(string source, string path, string? value, string message) =>
        new([new ConfigDiagnostic(DiagnosticSeverity.Error, source, path, 0, 0, value, message)]);
}
