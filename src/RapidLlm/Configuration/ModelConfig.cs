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
/// A model description, normalised from either YAML schema. Exactly one of <see cref="Transformer"/> (LLM and ViT modes)
/// and <see cref="Gemm"/> (GEMM mode) is set. Load one with <see cref="FromYaml(string)"/> or <see cref="LoadYaml(string)"/>.
/// </summary>
/// <param name="Mode">The estimator.</param>
/// <param name="Transformer">The transformer model, for LLM and ViT modes.</param>
/// <param name="Gemm">The GEMM, for GEMM mode.</param>
public sealed partial record ModelConfig(ModelMode Mode, TransformerConfig? Transformer, GemmConfig? Gemm)
{
    /// <summary>The run type; GEMM runs count as training.</summary>
    public RunType RunType => Transformer?.RunType ?? RunType.Training;
}

/// <summary>A single GEMM (<c>model_param</c> in GEMM mode).</summary>
/// <param name="M">Rows of the output (≥ 1).</param>
/// <param name="K">Reduction dimension (≥ 1).</param>
/// <param name="N">Columns of the output (≥ 1).</param>
/// <param name="Backward">Also time the backward GEMMs; default false.</param>
/// <param name="ShardAxis">How tensor parallelism shards it. Required.</param>
public sealed record GemmConfig(int M, int K, int N, bool Backward, GemmShardAxis ShardAxis);

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
public enum BatchScope
{
    /// <summary>Per replica (the newest schema; always the case for training).</summary>
    PerReplica,
    /// <summary>Across all replicas (the seed schema's inference meaning); resolve with <see cref="ModelConfig.ForHardware"/>.</summary>
    AllReplicas,
}
