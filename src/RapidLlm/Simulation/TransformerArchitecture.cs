using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// The shape of a transformer model without a run: widths, depth, heads and vocabulary. Turn it into a
/// <see cref="ModelConfig"/> with <see cref="Training"/> or <see cref="Inference"/>.
/// </summary>
/// <param name="Name">Display name, e.g. <c>Llama-2-7B</c>.</param>
/// <param name="ModelType">Architecture family (decides the MLP: GELU for GPT, SwiGLU for Llama).</param>
/// <param name="HiddenDim">Model width D.</param>
/// <param name="NumLayers">Transformer layers.</param>
/// <param name="NumHeads">Query heads.</param>
/// <param name="KvHeads">Key/value heads; equal to <paramref name="NumHeads"/> for multi-head attention, fewer for grouped-query attention.</param>
/// <param name="IntermediateSize">Dense FFN width.</param>
/// <param name="VocabSize">Vocabulary size.</param>
/// <param name="TiedEmbeddings">Input and output embeddings share weights.</param>
public sealed record TransformerArchitecture(
    string Name,
    ModelType ModelType,
    int HiddenDim,
    int NumLayers,
    int NumHeads,
    int KvHeads,
    int IntermediateSize,
    int VocabSize,
    bool TiedEmbeddings)
{
    /// <summary>Explicit per-head width; null (the default) means <see cref="HiddenDim"/> / <see cref="NumHeads"/>.</summary>
    public int? HeadDim { get; init; }

    /// <summary>Mixture-of-experts block; null (the default) means a dense model.</summary>
    public MoeConfig? Moe { get; init; }

    /// <summary>Multi-head latent attention ranks (DeepSeek-V3 style); null (the default) means MHA or GQA.</summary>
    public MlaShape? Mla { get; init; }

    /// <summary>The attention variant the shape implies: MLA when <see cref="Mla"/> is set, GQA when <see cref="KvHeads"/> &lt; <see cref="NumHeads"/>, else MHA.</summary>
    public AttentionType AttentionType => Mla is not null ? AttentionType.Mla : KvHeads < NumHeads ? AttentionType.Gqa : AttentionType.Mha;

    /// <summary>A training run of this model.</summary>
    /// <param name="globalBatch">Sequences per optimizer step.</param>
    /// <param name="sequenceLength">Tokens per sequence.</param>
    /// <param name="gradientAccumulationSteps">Accumulation steps per optimizer step; default 1.</param>
    /// <param name="flashAttention">Model the FlashAttention kernel; default false.</param>
    /// <param name="attentionTileSize">FlashAttention KV tile; default 128, used only with <paramref name="flashAttention"/>.</param>
    /// <returns>The model description (validated against hardware when a simulation is built).</returns>
    public ModelConfig Training(int globalBatch, int sequenceLength, int gradientAccumulationSteps = 1, bool flashAttention = false, int attentionTileSize = 128) =>
        Build(RunType.Training, globalBatch, sequenceLength, decodeLength: null, gradientAccumulationSteps, flashAttention, attentionTileSize, sampleEvery: -1);

    /// <summary>An inference run of this model: prefill over the prompt, then <paramref name="decodeLength"/> generated tokens.</summary>
    /// <param name="batch">Sequences served together by one replica.</param>
    /// <param name="promptLength">Prompt tokens per sequence (0 skips prefill).</param>
    /// <param name="decodeLength">Generated tokens per sequence (0 skips decode).</param>
    /// <param name="flashAttention">Model the FlashAttention kernel; default true.</param>
    /// <param name="attentionTileSize">FlashAttention KV tile; default 128.</param>
    /// <param name="sampleEvery">Decode sampling stride; default -1 (only the first and last steps are simulated, the others interpolated).</param>
    /// <returns>The model description; its sequence length is prompt + decode, as in the YAML schema.</returns>
    public ModelConfig Inference(int batch, int promptLength, int decodeLength, bool flashAttention = true, int attentionTileSize = 128, int sampleEvery = -1) =>
        Build(RunType.Inference, batch, promptLength + decodeLength, decodeLength, 1, flashAttention, attentionTileSize, sampleEvery);

    private ModelConfig Build(RunType runType, int batch, int seqLen, int? decodeLength, int accumulation, bool flash, int tile, int sampleEvery)
    {
        var attention = new AttentionConfig(AttentionType, NumHeads, AttentionType == AttentionType.Gqa ? KvHeads : NumHeads, flash, flash ? tile : null,
            HeadDim, Mla?.KvLoraRank, Mla?.QLoraRank, Mla?.QkNopeHeadDim, Mla?.QkRopeHeadDim, Mla?.VHeadDim);
        // A dense model carries the same inert one-expert block the YAML reader produces when moe: is absent.
        var moe = Moe ?? new MoeConfig(1, 1, IntermediateSize, 0, 1.0, 1, 0);
        var transformer = new TransformerConfig(runType, ModelType, TiedEmbeddings, false, batch, BatchScope.PerReplica, accumulation,
            seqLen, decodeLength, HiddenDim, IntermediateSize, VocabSize, NumLayers, attention, moe, null, sampleEvery);
        return new ModelConfig(ModelMode.Llm, transformer, null);
    }
}

/// <summary>Multi-head latent attention ranks (<c>model_param.attention</c> in MLA mode).</summary>
/// <param name="KvLoraRank">Latent KV rank.</param>
/// <param name="QLoraRank">Latent query rank.</param>
/// <param name="QkNopeHeadDim">Non-rotary query/key head width.</param>
/// <param name="QkRopeHeadDim">Rotary query/key head width.</param>
/// <param name="VHeadDim">Value head width.</param>
public sealed record MlaShape(int KvLoraRank, int QLoraRank, int QkNopeHeadDim, int QkRopeHeadDim, int VHeadDim);
