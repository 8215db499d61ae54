using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// The per-field checks the YAML reader applies, for models built in code (a record can be constructed with any value;
/// a file cannot). Problems use the YAML path of the field so they read like file errors.
/// </summary>
internal static class ModelShapeCheck
{
    public static void Check(ModelConfig model, string source, List<ConfigDiagnostic> problems)
    {
        void Error(string path, object? value, string message) =>
            problems.Add(BuilderDiagnostics.Error(path, value, message) with { Source = source });

        if (model.Gemm is { } g)
        {
            if (g.M < 1) Error("model_param.M", g.M, "must be ≥ 1");
            if (g.K < 1) Error("model_param.K", g.K, "must be ≥ 1");
            if (g.N < 1) Error("model_param.N", g.N, "must be ≥ 1");
            return;
        }

        if (model.Transformer is not { } t)
        {
            Error("model_param", null, "an LLM or ViT model needs its transformer settings");
            return;
        }

        foreach (var (path, value) in new[]
                 {
                     ("model_param.global_batch_size", t.GlobalBatchSize), ("model_param.gradient_accumulation_steps", t.GradientAccumulationSteps),
                     ("model_param.seq_len", t.SeqLen), ("model_param.hidden_dim", t.HiddenDim), ("model_param.intermediate_size", t.IntermediateSize),
                     ("model_param.num_layers", t.NumLayers), ("model_param.attention.num_heads", t.Attention.NumHeads),
                     ("model_param.attention.kv_heads", t.Attention.KvHeads), ("model_param.moe.num_experts", t.Moe.NumExperts),
                     ("model_param.moe.top_k", t.Moe.TopK),
                 })
        {
            if (value < 1) Error(path, value, "must be ≥ 1");
        }

        if (t.VocabSize < (t.IsVit ? 0 : 1)) Error("model_param.vocab_size", t.VocabSize, "must be ≥ 1");
        var a = t.Attention;
        if (a.NumHeads >= 1 && a.KvHeads >= 1 && a.NumHeads % a.KvHeads != 0)
            Error("model_param.attention.kv_heads", a.KvHeads, $"must divide num_heads ({a.NumHeads})");
        if (a.HeadDim is null && a.NumHeads >= 1 && t.HiddenDim % a.NumHeads != 0)
            Error("model_param.hidden_dim", t.HiddenDim, $"must be divisible by attention.num_heads ({a.NumHeads})");
        if (a.UseFlashAttention && a.AttentionTileSize is not >= 1)
            Error("model_param.attention.attention_tile_size", a.AttentionTileSize, "the FlashAttention KV tile must be ≥ 1 when flash attention is on");
        if (a.Type == AttentionType.Mla && (a.KvLoraRank is null || a.QLoraRank is null || a.QkNopeHeadDim is null || a.QkRopeHeadDim is null || a.VHeadDim is null))
            Error("model_param.attention", null, "mla attention needs kv_lora_rank, q_lora_rank, qk_nope_head_dim, qk_rope_head_dim and v_head_dim");
        if (t.Moe.TopK > t.Moe.NumExperts) Error("model_param.moe.top_k", t.Moe.TopK, $"cannot exceed num_experts ({t.Moe.NumExperts})");
        if (t.Moe.ExpertImbalanceFactor is < 1 || !double.IsFinite(t.Moe.ExpertImbalanceFactor))
            Error("model_param.moe.expert_imbalance_factor", t.Moe.ExpertImbalanceFactor, "must be a finite number ≥ 1 (1 = balanced)");
        if (t.RunType == RunType.Inference)
        {
            if (t.DecodeLen is not { } decode) Error("model_param.decode_len", null, "decode tokens; required when run_type is inference");
            else if (decode < 0) Error("model_param.decode_len", decode, "must be ≥ 0");
            else if (decode > t.SeqLen) Error("model_param.decode_len", decode, $"must be ≤ seq_len ({t.SeqLen}): seq_len is the total context, prefill plus decode");
        }

        VisionShapeCheck.Check(t, Error);
        if (t.SampleEvery == 0 || t.SampleEvery < -1)
            Error("inference_param.sample_every", t.SampleEvery, "must be -1 (first and last step only) or ≥ 1");
    }
}
