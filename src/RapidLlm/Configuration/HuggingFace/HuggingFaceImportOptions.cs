using RapidLlm.Configuration;

namespace RapidLlm.HuggingFace;

/// <summary>The run to encode when importing a Hugging Face <c>config.json</c> : the run's batch, lengths and kernels.</summary>
public sealed record HuggingFaceImportOptions
{
    /// <summary>Training or inference; default training.</summary>
    public RunType RunType { get; init; } = RunType.Training;

    /// <summary>Sequences per optimizer step (training) or per replica (inference); default 1.</summary>
    public int GlobalBatchSize { get; init; } = 1;

    /// <summary>Gradient-accumulation steps; default 1.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>
    /// The whole context per sequence, the YAML's <c>seq_len</c> (for inference: prompt + decode); null (the default) uses
    /// <see cref="PromptLength"/> + <see cref="DecodeLength"/> when a prompt length is given, else the config's maximum
    /// positions, else 2048.
    /// </summary>
    public int? SequenceLength { get; init; }

    /// <summary>
    /// Prompt tokens per sequence (inference), as in <c>TransformerArchitecture.Inference(batch, promptLength,
    /// decodeLength)</c>: the imported <c>seq_len</c> is then prompt + decode. Give this or <see cref="SequenceLength"/>, not both.
    /// </summary>
    public int? PromptLength { get; init; }

    /// <summary>Generated tokens (inference); default 0.</summary>
    public int DecodeLength { get; init; }

    /// <summary>Model FlashAttention; null (the default) uses the config's <c>flash_attention</c>/<c>use_flash_attention</c> flag, else false.</summary>
    public bool? UseFlashAttention { get; init; }

    /// <summary>Square image side in pixels for vision transformers; null (the default) uses the config's <c>image_size</c>.</summary>
    public int? ImageSize { get; init; }

    /// <summary>
    /// Classifier outputs for vision transformers (written as <c>vocab_size</c>); null (the default) counts the config's
    /// <c>id2label</c> for an image-classification architecture, else 0 (a feature encoder).
    /// </summary>
    public int? NumClasses { get; init; }

    /// <summary>
    /// FlashAttention KV tile; null (the default) uses the config's <c>flash_attention_block_size</c>/<c>attention_tile_size</c>,
    /// else <see cref="DefaultFlashTileSize"/> (the builder's default).
    /// </summary>
    public int? FlashTileSize { get; init; }

    /// <summary>The FlashAttention KV tile used when neither the options nor the config give one: 128, as in <c>TransformerArchitecture</c>.</summary>
    public const int DefaultFlashTileSize = 128;
}
