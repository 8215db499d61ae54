namespace RapidLlm.Configuration;

/// <summary>Which estimator a model file selects (<c>model_param.mode</c>).</summary>
public enum ModelMode
{
    /// <summary>Transformer language model.</summary>
    Llm,
    /// <summary>Vision transformer (<c>ViT</c>).</summary>
    Vit,
    /// <summary>A single (optionally sharded) GEMM.</summary>
    Gemm,
}

/// <summary>
/// A model and its run (batch, sequence, training or inference), normalised from either YAML schema. Load one with
/// <see cref="FromYaml(string)"/> or <see cref="LoadYaml(string)"/>, or start from <c>ModelPresets</c> or a
/// <c>TransformerArchitecture</c>; the simulation reads the details.
/// </summary>
public sealed partial record ModelConfig
{
    /// <summary>Creates a model description.</summary>
    /// <param name="mode">The estimator.</param>
    /// <param name="transformer">The transformer model, for LLM and ViT modes.</param>
    /// <param name="gemm">The GEMM, for GEMM mode.</param>
    internal ModelConfig(ModelMode mode, TransformerConfig? transformer, GemmConfig? gemm)
    {
        Mode = mode;
        Transformer = transformer;
        Gemm = gemm;
    }

    /// <summary>The estimator the model selects: a transformer language model, a vision transformer or a single GEMM.</summary>
    public ModelMode Mode { get; init; }

    /// <summary>The transformer model, for LLM and ViT modes.</summary>
    internal TransformerConfig? Transformer { get; init; }

    /// <summary>The GEMM, for GEMM mode.</summary>
    internal GemmConfig? Gemm { get; init; }

    /// <summary>The run type; GEMM runs count as training.</summary>
    public RunType RunType => Transformer?.RunType ?? RunType.Training;

    /// <summary>Transformer layers (0 for a GEMM).</summary>
    public int LayerCount => Transformer?.NumLayers ?? 0;

    /// <summary>Sequences per optimizer step (training) or per replica (inference); 0 for a GEMM.</summary>
    public int BatchSize => Transformer?.GlobalBatchSize ?? 0;

    /// <summary>Tokens per sequence: the training sequence length, or the inference context (prompt + generated); 0 for a GEMM.</summary>
    public int SequenceLength => Transformer?.SeqLen ?? 0;

    /// <summary>True when some layers are mixture-of-experts layers (more than one expert).</summary>
    public bool UsesMoe => Transformer?.UsesMoe == true;
}

/// <summary>A single GEMM (<c>model_param</c> in GEMM mode).</summary>
/// <param name="M">Rows of the output (≥ 1).</param>
/// <param name="K">Reduction dimension (≥ 1).</param>
/// <param name="N">Columns of the output (≥ 1).</param>
/// <param name="Backward">Also time the backward GEMMs; default false.</param>
/// <param name="ShardAxis">How tensor parallelism shards it. Required.</param>
internal sealed record GemmConfig(int M, int K, int N, bool Backward, GemmShardAxis ShardAxis);

/// <summary>How a GEMM is sharded across tensor-parallel ranks.</summary>
public enum GemmShardAxis
{
    /// <summary>Split K (needs K divisible by tp); partial sums are reduced.</summary>
    Row,
    /// <summary>Split N (needs N divisible by tp).</summary>
    Col,
}

/// <summary>Transformer architecture family (<c>model_param.model_type</c>).</summary>
public enum ModelType
{
    /// <summary>GPT: GELU MLP with two FFN matrices.</summary>
    Gpt,
    /// <summary>Llama: SwiGLU MLP with three FFN matrices.</summary>
    Llama,
    /// <summary>DeepSeek-V3 (MLA + MoE).</summary>
    DeepSeekV3,
    /// <summary>GLM-4 MoE (aliases <c>glm</c>, <c>glm4</c>); needs an explicit head_dim.</summary>
    Glm4Moe,
    /// <summary>Vision transformer.</summary>
    Vit,
    /// <summary>DINOv3 vision transformer (SwiGLU MLP, 5 prefix tokens).</summary>
    VitDinov3,
}

/// <summary>Whether <see cref="TransformerConfig.GlobalBatchSize"/> counts sequences of one inference replica or of all of them.</summary>
internal enum BatchScope
{
    /// <summary>Per replica (the newest schema; always the case for training).</summary>
    PerReplica,
    /// <summary>Across all replicas (the seed schema's inference meaning); resolve with <see cref="ModelConfig.ForHardware"/>.</summary>
    AllReplicas,
}
