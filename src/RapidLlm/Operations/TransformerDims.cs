namespace RapidLlm.Operations;

/// <summary>The dimensions of one dense transformer layer, its vocabulary (or a vision transformer's patch embedding and head), and its attention variant (no MoE parts).</summary>
/// <param name="HiddenDim">Model width D.</param>
/// <param name="NumHeads">Query heads H.</param>
/// <param name="KvHeads">Key/value heads (H for MHA, fewer for GQA, 1 for MQA).</param>
/// <param name="HeadDim">Width of one head (usually D / H).</param>
/// <param name="IntermediateSize">MLP width I.</param>
/// <param name="VocabSize">Vocabulary size V.</param>
/// <param name="Family">GPT or Llama MLP.</param>
/// <param name="TiedEmbeddings">Whether the LM head shares the embedding weights.</param>
/// <param name="Mla">Multi-head latent attention dimensions, or null for MHA/GQA attention.</param>
/// <param name="Vision">A vision transformer's patch embedding and head, or null for a language model (its encoder attention is bidirectional).</param>
internal sealed record TransformerDims(
    long HiddenDim,
    long NumHeads,
    long KvHeads,
    long HeadDim,
    long IntermediateSize,
    long VocabSize,
    ModelFamily Family,
    bool TiedEmbeddings = true,
    Mla.MlaDims? Mla = null,
    Vision.VisionDims? Vision = null)
{
    /// <summary>Whether attention is causal: true for language models, false for vision encoders (every token sees every token).</summary>
    public bool CausalAttention => Vision is null;

    /// <summary>Query width H·hd.</summary>
    public long QuerySize => NumHeads * HeadDim;

    /// <summary>Key (or value) width kv·hd.</summary>
    public long KvSize => KvHeads * HeadDim;

    /// <summary>Query heads sharing one key/value head (H / kv).</summary>
    public long SharedHeads => NumHeads / KvHeads;

    /// <summary>Whether the MLP is gated (SwiGLU).</summary>
    public bool GatedMlp => Family == ModelFamily.Llama;

    /// <summary>Output width of FFN1: 2I when gated, else I.</summary>
    public long Ffn1Width => GatedMlp ? 2 * IntermediateSize : IntermediateSize;

    /// <summary>Weight matrices of the MLP: 3 when gated, else 2.</summary>
    public int MlpMatrixCount => GatedMlp ? 3 : 2;

    /// <summary>QKV projection parameters D·(q + 2kv).</summary>
    public long QkvParameters => HiddenDim * (QuerySize + 2 * KvSize);

    /// <summary>Output projection parameters q·D.</summary>
    public long OutputProjectionParameters => QuerySize * HiddenDim;

    /// <summary>QKV (or MLA projection) weights one tensor-parallel rank holds.</summary>
    /// <param name="tp">Tensor-parallel degree.</param>
    /// <returns>Parameters (fractional when tp does not divide them, as in the reference).</returns>
    public double QkvParametersPerRank(int tp) =>
        Mla?.ProjectionParametersPerRank(HiddenDim, tp) ?? QkvParameters / (double)Math.Max(1, tp);

    /// <summary>Output projection weights one tensor-parallel rank holds.</summary>
    /// <param name="tp">Tensor-parallel degree.</param>
    /// <returns>Parameters.</returns>
    public double OutputProjectionParametersPerRank(int tp) =>
        Mla?.OutputParametersPerRank(HiddenDim, tp) ?? OutputProjectionParameters / (double)Math.Max(1, tp);

    /// <summary>Throws when the dimensions cannot describe a dense decoder layer.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive or the heads do not divide.</exception>
    public void Validate()
    {
        if (HiddenDim <= 0 || NumHeads <= 0 || KvHeads <= 0 || HeadDim <= 0 || IntermediateSize <= 0)
            throw new ArgumentException("All model dimensions must be positive.");
        // A vision transformer's vocabulary is its classifier, which may be absent (a feature encoder).
        if (Vision is null ? VocabSize <= 0 : VocabSize < 0)
            throw new ArgumentException("VocabSize must be positive (non-negative for a vision transformer).");
        Vision?.Validate();
        if (NumHeads % KvHeads != 0)
            throw new ArgumentException($"num_heads ({NumHeads}) must be divisible by kv_heads ({KvHeads}).");
    }
}
