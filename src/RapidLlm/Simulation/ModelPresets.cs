using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// Shapes of well-known models. They match the shipped <c>configs/model-config</c> files; Llama embeddings are untied, as
/// in the released Llama-2 and Llama-3.1 checkpoints (<c>tie_word_embeddings: false</c> in their Hugging Face configs); pick a run with <see cref="TransformerArchitecture.Training"/> or
/// <see cref="TransformerArchitecture.Inference"/>, e.g. <c>ModelPresets.Llama2_7B.Training(globalBatch: 1024, sequenceLength: 4096)</c>,
/// or for the vision transformers <c>ModelPresets.VitBase16.Inference(batch: 64)</c>.
/// </summary>
public static class ModelPresets
{
    /// <summary>Llama 2 7B: 32 layers, width 4096, 32 heads (MHA), FFN 11008, vocabulary 32000.</summary>
    public static TransformerArchitecture Llama2_7B { get; } = new("Llama-2-7B", ModelType.Llama, 4096, 32, 32, 32, 11008, 32000, false);

    /// <summary>Llama 2 13B: 40 layers, width 5120, 40 heads (MHA), FFN 13824, vocabulary 32000.</summary>
    public static TransformerArchitecture Llama2_13B { get; } = new("Llama-2-13B", ModelType.Llama, 5120, 40, 40, 40, 13824, 32000, false);

    /// <summary>Llama 2 70B: 80 layers, width 8192, 64 heads with 8 KV heads (GQA), FFN 28672, vocabulary 32000.</summary>
    public static TransformerArchitecture Llama2_70B { get; } = new("Llama-2-70B", ModelType.Llama, 8192, 80, 64, 8, 28672, 32000, false);

    /// <summary>Llama 3.1 8B: 32 layers, width 4096, 32 heads with 8 KV heads (GQA), FFN 14336, vocabulary 128256.</summary>
    public static TransformerArchitecture Llama3_1_8B { get; } = new("Llama-3.1-8B", ModelType.Llama, 4096, 32, 32, 8, 14336, 128256, false);

    /// <summary>Llama 3.1 70B: 80 layers, width 8192, 64 heads with 8 KV heads (GQA), FFN 28672, vocabulary 128256.</summary>
    public static TransformerArchitecture Llama3_1_70B { get; } = new("Llama-3.1-70B", ModelType.Llama, 8192, 80, 64, 8, 28672, 128256, false);

    /// <summary>Llama 3.1 405B: 126 layers, width 16384, 128 heads with 8 KV heads (GQA), FFN 53248, vocabulary 128256.</summary>
    public static TransformerArchitecture Llama3_1_405B { get; } = new("Llama-3.1-405B", ModelType.Llama, 16384, 126, 128, 8, 53248, 128256, false);

    /// <summary>
    /// The GPT-style decoder of <c>configs/model-config/GPT.yaml</c>: one GELU layer of width 8192, 64 heads, FFN 32768,
    /// an 800000-token vocabulary and untied embeddings: a stress shape rather than a released model.
    /// </summary>
    public static TransformerArchitecture GptStyle { get; } = new("GPT-style", ModelType.Gpt, 8192, 1, 64, 64, 32768, 800000, false);

    /// <summary>
    /// ViT-Base/16 (google/vit-base-patch16-224): 12 blocks, width 768, 12 heads, MLP 3072, GELU, 16-pixel patches on
    /// 224-pixel images (196 patches plus the class token), an ImageNet-1k classifier.
    /// </summary>
    public static VisionTransformerArchitecture VitBase16 { get; } = new("ViT-Base/16", ModelType.Vit, 768, 12, 12, 3072, 224, 16, 1000);

    /// <summary>
    /// DINOv3 ViT-7B/16 (facebook/dinov3-vit7b16-pretrain-lvd1689m): 40 blocks, width 4096, 32 heads, SwiGLU MLP 8192,
    /// 16-pixel patches on 256-pixel images (256 patches plus the class and four register tokens), a feature encoder
    /// without classifier.
    /// </summary>
    public static VisionTransformerArchitecture Dinov3Vit7B16 { get; } = new("DINOv3 ViT-7B/16", ModelType.VitDinov3, 4096, 40, 32, 8192, 256, 16, 0);

    /// <summary>A single GEMM (GEMM mode), optionally with its backward pass.</summary>
    /// <param name="m">Rows of the activation.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of the output.</param>
    /// <param name="backward">Also time the backward GEMMs; default false.</param>
    /// <param name="shardAxis">How tensor parallelism shards the weight; default <see cref="GemmShardAxis.Row"/>.</param>
    public static ModelConfig Gemm(int m, int k, int n, bool backward = false, GemmShardAxis shardAxis = GemmShardAxis.Row) =>
        new(ModelMode.Gemm, null, new GemmConfig(m, k, n, backward, shardAxis));
}
