namespace RapidLlm.Workbench.Setup;

/// <summary>The common settings the form shows, in order, for both schemas (docs/configuration.md describes each).</summary>
public static class FormFields
{
    private static readonly Func<ModelShape, bool> Transformer = s => !s.IsGemm;
    private static readonly Func<ModelShape, bool> Llm = s => !s.IsGemm && !s.IsVit;
    private static readonly Func<ModelShape, bool> Training = s => s.IsTraining;
    private static readonly Func<ModelShape, bool> Inference = s => !s.IsGemm && s.Inference;
    private static readonly Func<ModelShape, bool> Gemm = s => s.IsGemm;
    private static readonly Func<ModelShape, bool> Vit = s => s.IsVit;

    /// <summary>Every field, model file first.</summary>
    public static IReadOnlyList<FormField> All { get; } =
    [
        // Model: the run.
        new("run-type", "Run type", ConfigFile.Model, "Run", FieldKind.Choice, "model_param.run_type", null, null,
            "Training estimates one optimizer step; inference one batch of prefill and decode.", Transformer, ["training", "inference"]),
        new("batch", "Global batch", ConfigFile.Model, "Run", FieldKind.Integer, "model_param.global_batch_size", null, "sequences",
            "Training: sequences per optimizer step. Inference: per replica (seed schema: across all replicas). ViT: images.", Transformer),
        new("grad-accum", "Gradient accumulation", ConfigFile.Model, "Run", FieldKind.Integer, "model_param.gradient_accumulation_steps", null, "steps",
            "Accumulation steps per optimizer step.", Training),
        new("seq-len", "Sequence length", ConfigFile.Model, "Run", FieldKind.Integer, "model_param.seq_len", null, "tokens",
            "Training: tokens per sequence. Inference: the whole context, prompt plus decode. ViT: patches plus prefix tokens.", Transformer),
        new("decode-len", "Decode length", ConfigFile.Model, "Run", FieldKind.Integer, "model_param.decode_len", null, "tokens",
            "Generated tokens per sequence (part of the sequence length); 0 runs the prefill only.", s => Inference(s) && !s.IsVit),
        new("flash", "FlashAttention", ConfigFile.Model, "Run", FieldKind.Boolean, "model_param.attention.use_flashattention", null, null,
            "Model the fused FlashAttention kernel.", Transformer),
        new("flash-tile", "Attention tile", ConfigFile.Model, "Run", FieldKind.Integer, "model_param.attention.attention_tile_size", null, "tokens",
            "FlashAttention's KV tile; required with FlashAttention.", Transformer),

        // Model: the shape.
        new("layers", "Layers", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.num_layers", null, null,
            "Transformer layers.", Transformer),
        new("hidden", "Hidden size", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.hidden_dim", null, null,
            "Model width; divisible by the heads.", Transformer),
        new("ffn", "FFN size", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.intermediate_size", null, null,
            "Width of the dense feed-forward layer.", Transformer),
        new("heads", "Attention heads", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.attention.num_heads", null, null,
            "Query heads.", Transformer),
        new("kv-heads", "KV heads", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.attention.kv_heads", null, null,
            "Key/value heads (grouped-query attention); must divide the heads.", Llm),
        new("vocab", "Vocabulary", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.vocab_size", null, "tokens",
            "Tokens in the vocabulary (ViT: classifier outputs, 0 for none).", Transformer),
        new("experts", "Experts", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.moe.num_experts", "model_param.num_experts", null,
            "Routed experts per MoE layer; 1 is a dense model.", Llm),
        new("top-k", "Experts per token", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.moe.top_k", "model_param.top_k", null,
            "Experts each token is routed to.", Llm),
        new("image", "Image size", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.vision.image_size", null, "px",
            "Image side in pixels (or [h, w]).", Vit),
        new("patch", "Patch size", ConfigFile.Model, "Shape", FieldKind.Integer, "model_param.vision.patch_size", null, "px",
            "Patch side in pixels; must divide the image.", Vit),

        // Model: a GEMM.
        new("gemm-m", "M (rows)", ConfigFile.Model, "GEMM", FieldKind.Integer, "model_param.M", null, null, "Output rows.", Gemm),
        new("gemm-k", "K (reduction)", ConfigFile.Model, "GEMM", FieldKind.Integer, "model_param.K", null, null, "Reduction dimension.", Gemm),
        new("gemm-n", "N (columns)", ConfigFile.Model, "GEMM", FieldKind.Integer, "model_param.N", null, null, "Output columns.", Gemm),
        new("gemm-backward", "Backward", ConfigFile.Model, "GEMM", FieldKind.Boolean, "model_param.backward", null, null,
            "Also time the backward GEMMs and the data-parallel reduction.", Gemm),
        new("gemm-shard", "Shard axis", ConfigFile.Model, "GEMM", FieldKind.Choice, "model_param.gemm_shard_axis", null, null,
            "How tensor parallelism splits the weight: row splits K, col splits N.", Gemm, ["row", "col"]),

        // Hardware: parallelism.
        new("tp", "Tensor parallel", ConfigFile.Hardware, "Parallelism", FieldKind.Integer, "parallelism.tp", null, "GPUs", "Tensor-parallel degree."),
        new("tp-sp", "Sequence parallel", ConfigFile.Hardware, "Parallelism", FieldKind.Boolean, "parallelism.tp_sp", null, null,
            "Megatron sequence parallelism on top of tensor parallelism.", Transformer),
        new("cp", "Context parallel", ConfigFile.Hardware, "Parallelism", FieldKind.Integer, "parallelism.cp", null, "GPUs",
            "Splits each sequence over GPUs.", Transformer),
        new("pp", "Pipeline stages", ConfigFile.Hardware, "Parallelism", FieldKind.Integer, "parallelism.pp", "parallelism.lp", "GPUs",
            "Pipeline-parallel degree.", Transformer),
        new("mb", "Micro-batches", ConfigFile.Hardware, "Parallelism", FieldKind.Integer, "parallelism.mb", null, null,
            "Pipeline micro-batches per step.", Transformer),
        new("schedule", "Pipeline schedule", ConfigFile.Hardware, "Parallelism", FieldKind.Choice, "parallelism.pipeline_schedule", null, null,
            "GPipe, 1F1B or interleaved 1F1B (training).", Training, ["gpipe", "1f1b", "interleaved_1f1b"]),
        new("virtual", "Virtual stages", ConfigFile.Hardware, "Parallelism", FieldKind.Integer, "parallelism.virtual_stages", null, null,
            "Model chunks per stage; only with interleaved 1F1B.", Training),
        new("dp", "Data parallel", ConfigFile.Hardware, "Parallelism", FieldKind.Integer, "parallelism.train.dp", "parallelism.dp", "GPUs",
            "Training data-parallel degree (seed schema: also the inference replicas)."),
        new("ep", "Expert parallel", ConfigFile.Hardware, "Parallelism", FieldKind.Integer, "parallelism.train.ep", "", "GPUs",
            "Training expert-parallel degree (MoE; 1 for dense).", Training),
        new("replicas", "Replicas", ConfigFile.Hardware, "Parallelism", FieldKind.Integer, "parallelism.inference.replica_count", "", null,
            "Independent inference replicas.", Inference),

        // Hardware: software.
        new("zero", "ZeRO stage", ConfigFile.Hardware, "Software", FieldKind.Choice, "sw_param.dp_zero_stage", null, null,
            "1 shards optimizer states, 2 also gradients, 3 also weights (with data parallelism).", Transformer, ["0", "1", "2", "3"]),
        new("recompute", "Full recomputation", ConfigFile.Hardware, "Software", FieldKind.Boolean, "sw_param.full_recomputation", null, null,
            "Recompute all activations in the backward pass.", Training),
        new("launch", "Kernel launch overhead", ConfigFile.Hardware, "Software", FieldKind.Number, "sw_param.kernel_launch_overhead", null, "s",
            "Fixed cost added to every kernel."),

        // Hardware: the device.
        new("hbm", "HBM capacity", ConfigFile.Hardware, "Device", FieldKind.Quantity, "tech_param.DRAM.size", null, null,
            "Per-GPU memory, e.g. 80 GB (binary: 80·2³⁰ bytes)."),
        new("hbm-bw", "HBM bandwidth", ConfigFile.Hardware, "Device", FieldKind.Quantity, "tech_param.DRAM.bandwidth", null, "/s",
            "Peak memory bandwidth, e.g. 1986 GB (per second)."),
        new("clock", "Core clock", ConfigFile.Hardware, "Device", FieldKind.Number, "tech_param.core.operating_frequency", null, "Hz",
            "Operating frequency, e.g. 1.41e9."),
        new("sms", "SMs", ConfigFile.Hardware, "Device", FieldKind.Integer, "tech_param.core.num_bundles", null, null, "Streaming multiprocessors (bundles)."),

        // Hardware: the network.
        new("net0-bw", "Dimension 0 bandwidth", ConfigFile.Hardware, "Network", FieldKind.Quantity, "network.dimensions[0].topology.bandwidth", null, "/s",
            "Link bandwidth of the innermost dimension (usually NVLink), e.g. 50 GB."),
        new("net0-lat", "Dimension 0 latency", ConfigFile.Hardware, "Network", FieldKind.Number, "network.dimensions[0].topology.latency", null, "s",
            "Latency per message or ring step."),
        new("net1-bw", "Dimension 1 bandwidth", ConfigFile.Hardware, "Network", FieldKind.Quantity, "network.dimensions[1].topology.bandwidth", null, "/s",
            "Link bandwidth of the second dimension (usually between nodes)."),
    ];

    /// <summary>Finds a field by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The field, or null.</returns>
    public static FormField? Find(string id) => All.FirstOrDefault(f => f.Id == id);

    /// <summary>The section titles of a file's fields, in order.</summary>
    /// <param name="file">The file.</param>
    /// <returns>The titles.</returns>
    public static IEnumerable<string> Groups(ConfigFile file) => All.Where(f => f.File == file).Select(f => f.Group).Distinct();
}
