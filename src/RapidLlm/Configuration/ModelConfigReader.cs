using RapidLlm.Configuration.Yaml;

namespace RapidLlm.Configuration;

/// <summary>Turns model YAML (either schema) into a <see cref="ModelConfig"/>, reporting every problem at once.</summary>
internal static class ModelConfigReader
{
    private static readonly Dictionary<string, ModelMode> Modes = new(StringComparer.Ordinal)
    {
        ["llm"] = ModelMode.Llm,
        ["vit"] = ModelMode.Vit,
        ["gemm"] = ModelMode.Gemm,
    };

    private static readonly Dictionary<string, RunType> RunTypes = new(StringComparer.Ordinal)
    {
        ["training"] = RunType.Training,
        ["inference"] = RunType.Inference,
    };

    private static readonly Dictionary<string, ModelType> ModelTypes = new(StringComparer.Ordinal)
    {
        ["gpt"] = ModelType.Gpt,
        ["llama"] = ModelType.Llama,
        ["deepseek_v3"] = ModelType.DeepSeekV3,
        ["glm4_moe"] = ModelType.Glm4Moe,
        ["glm4"] = ModelType.Glm4Moe,
        ["glm"] = ModelType.Glm4Moe,
        ["vit"] = ModelType.Vit,
        ["vit_dinov3"] = ModelType.VitDinov3,
    };

    private static readonly Dictionary<string, AttentionType> AttentionTypes = new(StringComparer.Ordinal)
    {
        ["mha"] = AttentionType.Mha,
        ["gqa"] = AttentionType.Gqa,
        ["mla"] = AttentionType.Mla,
    };

    private static readonly Dictionary<string, GemmShardAxis> ShardAxes = new(StringComparer.Ordinal)
    {
        ["row"] = GemmShardAxis.Row,
        ["col"] = GemmShardAxis.Col,
    };

    public static ConfigLoadResult<ModelConfig> Read(string yaml, string source)
    {
        var diagnostics = new DiagnosticBag(source);
        var rootNode = YamlTreeBuilder.Build(yaml, diagnostics);
        if (rootNode is not YamlMapping rootMapping)
        {
            if (!diagnostics.HasErrors) diagnostics.Error("", rootNode?.Line ?? 1, rootNode?.Column ?? 1, rootNode?.Display, (rootNode is null ? "the file holds no settings; " : "") + "a model file must be a mapping with a model_param section");
            diagnostics.ThrowIfErrors();
            throw new InvalidOperationException("unreachable");
        }
        var root = new MappingReader(rootMapping, "", diagnostics);
        var m = root.Mapping("model_param", required: true);
        ModelConfig? config = null;
        var seed = false;
        if (m is not null)
        {
            var mode = m.Choice("mode", Modes, required: true, "'LLM', 'ViT', 'GEMM'");
            if (mode == ModelMode.Gemm) config = new ModelConfig(ModelMode.Gemm, null, ReadGemm(m));
            else if (mode is { } llmOrVit)
            {
                seed = m.Keys.Contains("num_experts") || m.Keys.Contains("top_k");
                var transformer = ReadTransformer(root, m, seed);
                if (transformer is not null) config = new ModelConfig(llmOrVit, transformer, null);
            }
        }
        if (config?.Mode != ModelMode.Gemm) root.Get("inference_param");
        root.Finish();
        var positions = SourcePositions.From(rootMapping);
        if (config is not null) SpecRules.CheckModel(config, new SpecChecker(diagnostics, positions, diagnostics.ErrorPaths));
        var warnings = diagnostics.ThrowIfErrors();
        return new ConfigLoadResult<ModelConfig>(config!, source, seed ? SchemaVersion.Legacy : SchemaVersion.Current, warnings)
        {
            Positions = positions,
        };
    }

    private static GemmConfig ReadGemm(MappingReader m)
    {
        var gemm = new GemmConfig(
            m.RequiredInt("M"), m.RequiredInt("K"), m.RequiredInt("N"),
            m.Bool("backward", false),
            m.Choice("gemm_shard_axis", ShardAxes, required: true) ?? GemmShardAxis.Row);
        m.Finish();
        return gemm;
    }

    private static TransformerConfig? ReadTransformer(MappingReader root, MappingReader m, bool seed)
    {
        var runType = m.Choice("run_type", RunTypes, required: true) ?? RunType.Training;
        var tied = m.Require("tied_embeddings") is not null && m.RequiredBool("tied_embeddings");
        var modelType = m.Choice("model_type", ModelTypes, required: true, "'gpt', 'llama', 'deepseek_v3', 'glm4_moe', 'vit', 'vit_dinov3'");
        var isVit = modelType is ModelType.Vit or ModelType.VitDinov3;
        var attention = ReadAttention(m.Mapping("attention", required: true), seed);
        var layers = m.RequiredInt("num_layers");
        var hidden = m.RequiredInt("hidden_dim");
        var batch = m.RequiredInt("global_batch_size");
        var gasKey = m.Has("gradient_accumulation_steps") || !m.Keys.Contains("gradient_accumulation_step") ? "gradient_accumulation_steps" : "gradient_accumulation_step";
        var gas = m.Int(gasKey, 1);
        m.Get("gradient_accumulation_step");

        VisionConfig? vision = null;
        if (isVit) vision = ReadVision(m.Mapping("vision", required: true));
        else if (m.Get("vision") is { } visionNode) m.Error("vision", visionNode, "vision settings are only allowed for ViT model types (vit, vit_dinov3)");

        var prefixTokens = modelType == ModelType.VitDinov3 ? 5 : 1;
        int seqLen;
        if (!m.Has("seq_len") && vision is not null) seqLen = vision.NumPatches + prefixTokens;
        else
        {
            seqLen = m.RequiredInt("seq_len");
            if (vision is not null && seqLen < vision.NumPatches + prefixTokens)
                m.Error("seq_len", m.Get("seq_len"), $"must be >= the ViT token count {vision.NumPatches + prefixTokens} (patches plus prefix tokens)");
        }
        var vocab = isVit ? m.RequiredInt("vocab_size", min: 0, what: "classifier size; 0 for a headless encoder") : m.RequiredInt("vocab_size");
        var intermediate = m.RequiredInt("intermediate_size");

        if (attention is not null)
        {
            if (modelType == ModelType.Glm4Moe && attention.HeadDim is null)
                m.Diagnostics.Error("model_param.attention.head_dim", m.Get("attention")?.Line ?? 0, m.Get("attention")?.Column ?? 0, null, "'head_dim' is required when model_type is glm4_moe");
            else if (modelType != ModelType.Glm4Moe && !m.Failed("hidden_dim") && hidden % attention.NumHeads != 0)
                m.Error("hidden_dim", m.Get("hidden_dim"), $"must be divisible by attention.num_heads ({attention.NumHeads})");
            else if (modelType != ModelType.Glm4Moe && attention.HeadDim is { } hd && hd != hidden / attention.NumHeads)
                m.Diagnostics.Error("model_param.attention.head_dim", m.Get("attention")?.Line ?? 0, m.Get("attention")?.Column ?? 0, hd.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"must equal hidden_dim / num_heads = {hidden / attention.NumHeads} for this model type");
        }

        int? decodeLen = null;
        if (m.Get("decode_len") is { } decodeNode)
        {
            decodeLen = m.Int("decode_len", 0, min: 0);
            if (runType == RunType.Inference && decodeLen > seqLen)
                m.Error("decode_len", decodeNode, $"must be <= seq_len ({seqLen}) for inference: seq_len is the total context, prefill plus decode");
        }
        else if (runType == RunType.Inference)
        {
            if (isVit) decodeLen = 0;
            else m.Missing("decode_len", "decode tokens; required when run_type is inference");
        }
        var disableKey = m.Keys.Contains("disable_embedding_unembedding_ops") && !m.Keys.Contains("disable_embedding_unembedding")
            ? "disable_embedding_unembedding_ops" : "disable_embedding_unembedding";
        var disable = m.Bool(disableKey, false);
        m.Get("disable_embedding_unembedding_ops");
        if (isVit)
        {
            if (decodeLen is not (0 or null)) m.Error("decode_len", m.Get("decode_len"), "must be 0 for ViT models");
            if (disable) m.Error(disableKey, m.Get(disableKey), "ViT models cannot disable the patch embedding and head");
        }

        var moe = seed ? ReadSeedMoe(m, intermediate) : ReadMoe(m, intermediate, layers);
        if (seed && m.Get("moe") is { } moeNode)
            m.Error("moe", moeNode, "cannot be combined with the seed's top-level num_experts/top_k; use one style");
        m.Finish(ignored: ["recomputation"]);

        var sampleEvery = -1;
        if (root.Mapping("inference_param", required: false) is { } ip)
        {
            sampleEvery = ip.Int("sample_every", -1, min: null);
            if (sampleEvery == 0 || sampleEvery < -1) ip.Error("sample_every", ip.Get("sample_every"), "must be -1 (first and last step only) or >= 1");
            ip.Finish();
        }
        if (attention is null || modelType is null || moe is null) return null;
        var scope = seed && runType == RunType.Inference ? BatchScope.AllReplicas : BatchScope.PerReplica;
        return new TransformerConfig(runType, modelType.Value, tied, disable, batch, scope, gas, seqLen,
            runType == RunType.Inference ? decodeLen : decodeLen, hidden, intermediate, vocab, layers, attention, moe, vision, sampleEvery);
    }

    private static AttentionConfig? ReadAttention(MappingReader? a, bool seed)
    {
        if (a is null) return null;
        var type = a.Choice("attention_type", AttentionTypes, required: true);
        if (seed && type == AttentionType.Mla)
            a.Error("attention_type", a.Get("attention_type"), "'mla' is not supported in the seed schema (use 'mha' or 'gqa', or the newest schema with a moe: block and MLA ranks)");
        var heads = a.RequiredInt("num_heads");
        var headDim = a.OptionalInt("head_dim");
        var kvHeads = heads;
        if (type == AttentionType.Gqa)
        {
            var kvNode = a.Require("kv_heads", "required for gqa");
            if (kvNode is not null)
            {
                kvHeads = a.Int("kv_heads", heads);
                if (kvHeads > 0 && heads % kvHeads != 0)
                {
                    a.Error("kv_heads", kvNode, $"must divide num_heads ({heads})");
                    kvHeads = heads;
                }
            }
        }
        else if (a.Get("kv_heads") is { } ignoredKv && ScalarConversion.TryInt(ignoredKv, out var written, out _) && written != heads)
        {
            a.Warning("kv_heads", ignoredKv, $"ignored for {type?.ToString().ToLowerInvariant()} attention: kv_heads is num_heads ({heads})");
        }
        var kvLora = a.OptionalInt("kv_lora_rank");
        var qLora = a.OptionalInt("q_lora_rank");
        var nope = a.OptionalInt("qk_nope_head_dim");
        var rope = a.OptionalInt("qk_rope_head_dim");
        var v = a.OptionalInt("v_head_dim");
        if (type == AttentionType.Mla && !seed)
        {
            foreach (var (key, value) in new[] { ("kv_lora_rank", kvLora), ("q_lora_rank", qLora), ("qk_nope_head_dim", nope), ("qk_rope_head_dim", rope), ("v_head_dim", v) })
                if (value is null) a.Missing(key, "required for mla attention");
        }
        var flashKey = a.Keys.Contains("used_flash_attention") && !a.Keys.Contains("use_flashattention") ? "used_flash_attention" : "use_flashattention";
        var flash = a.Bool(flashKey, false);
        a.Get("used_flash_attention");
        int? tile = null;
        if (flash) tile = a.Require("attention_tile_size", "the KV tile size; required when flash attention is on") is null ? null : a.RequiredInt("attention_tile_size");
        else a.Get("attention_tile_size");
        a.Finish();
        return type is null ? null : new AttentionConfig(type.Value, heads, kvHeads, flash, tile, headDim, kvLora, qLora, nope, rope, v);
    }

    private static MoeConfig ReadSeedMoe(MappingReader m, int intermediate)
    {
        var experts = m.RequiredInt("num_experts", what: "the seed schema requires it; 1 means dense");
        var topK = m.Int("top_k", 1);
        if (topK > experts) m.Error("top_k", m.Get("top_k"), $"cannot exceed num_experts ({experts})");
        return new MoeConfig(experts, topK, intermediate, 0, 1.0, 1, 0);
    }

    private static MoeConfig ReadMoe(MappingReader m, int intermediate, int layers)
    {
        var block = m.Mapping("moe", required: false);
        if (block is null) return new MoeConfig(1, 1, intermediate, 0, 1.0, 1, 0);
        var experts = block.Int("num_experts", 1);
        var freq = block.Int("moe_layer_freq", 1, min: 0);
        var firstDense = block.Int("first_k_dense_replace", 0, min: 0);
        var probe = new MoeConfig(experts, 1, intermediate, 0, 1.0, freq, firstDense);
        var enabled = experts > 1 && Enumerable.Range(0, layers).Any(probe.IsMoeLayer);
        int topK, moeIntermediate;
        if (enabled)
        {
            block.RequiredInt("num_experts");
            topK = block.RequiredInt("top_k");
            moeIntermediate = block.RequiredInt("moe_intermediate_size");
            if (freq < 1) block.Error("moe_layer_freq", block.Get("moe_layer_freq"), "must be >= 1 when MoE is enabled");
            if (topK > experts) block.Error("top_k", block.Get("top_k"), $"cannot exceed num_experts ({experts})");
        }
        else
        {
            topK = block.Int("top_k", 1);
            moeIntermediate = block.Int("moe_intermediate_size", intermediate, min: 0);
        }
        var shared = block.Int("n_shared_experts", 0, min: 0);
        var imbalanceNode = block.Get("expert_imbalance_factor");
        var imbalance = block.Double("expert_imbalance_factor", 1.0, min: 1.0);
        if (imbalanceNode is not null && double.IsInfinity(imbalance))
            block.Error("expert_imbalance_factor", imbalanceNode, "must be a finite number >= 1 (1 = balanced)");
        else if (imbalance > experts)
            block.Error("expert_imbalance_factor", imbalanceNode, $"cannot exceed num_experts ({experts}): one hot expert takes at most all tokens");
        block.Finish();
        return new MoeConfig(experts, topK, moeIntermediate, shared, imbalance, freq, firstDense);
    }

    private static VisionConfig? ReadVision(MappingReader? v)
    {
        if (v is null) return null;
        var image = Pair(v, "image_size");
        var patch = Pair(v, "patch_size");
        v.Finish();
        if (image is null || patch is null) return null;
        if (image.Value.A % patch.Value.A != 0 || image.Value.B % patch.Value.B != 0)
        {
            v.Error("image_size", v.Get("image_size"), $"must be divisible by patch_size ({patch.Value.A}x{patch.Value.B})");
            return null;
        }
        return new VisionConfig(image.Value.A, image.Value.B, patch.Value.A, patch.Value.B);
    }

    private static (int A, int B)? Pair(MappingReader v, string key)
    {
        var node = v.Require(key, "an integer or a two-entry list");
        switch (node)
        {
            case null: return null;
            case YamlSequence { Items.Count: 2 } s when ScalarConversion.TryInt(s.Items[0], out var a, out _) && ScalarConversion.TryInt(s.Items[1], out var b, out _) && a > 0 && b > 0:
                return (a, b);
            case YamlScalar when ScalarConversion.TryInt(node, out var x, out _) && x > 0:
                return (x, x);
            default:
                v.Error(key, node, "must be a positive integer or a two-entry list of positive integers");
                return null;
        }
    }
}
