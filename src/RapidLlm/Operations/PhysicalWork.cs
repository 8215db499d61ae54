using RapidLlm.Hardware;
using RapidLlm.Operations.Moe;

namespace RapidLlm.Operations;

/// <summary>
/// Analytical work of whole phases for the calibrated energy model, summed over every GPU that takes part: tensor
/// FLOPs of the GEMMs and attention, HBM bytes (weights streamed, KV cache read and written, activation traffic of the
/// layer's kernels, the optimizer's passes) and link bytes. Counts are per run, independent of how the work is split,
/// so the same work on more GPUs is the same dynamic energy.
/// </summary>
internal static class PhysicalWork
{
    // Activation bytes one token moves through HBM per layer and forward pass, in units of elements of width D and I:
    // norms, residual adds, QKV/attention/output projection inputs and outputs (≈ 16·D) and the MLP's up, gate and
    // activation tensors (≈ 6·I).
    private const double HiddenAccessesPerToken = 16;
    private const double IntermediateAccessesPerToken = 6;
    private const double BackwardTrafficRatio = 2;
    // FP32 loss: cast, log-softmax forward and backward, cast back (bytes per logit), as CalibratedOperators charges them.
    private const double LossBytesPerLogit = 32;
    // Fused AdamW reads and writes per parameter are priced from the precisions; 14 FLOPs per parameter.
    private const double AdamFlopsPerParameter = 14;

    /// <summary>The model shape the counts need.</summary>
    /// <param name="Dims">Layer dimensions.</param>
    /// <param name="Layers">Transformer layers.</param>
    /// <param name="MoeLayers">How many of them are MoE layers.</param>
    /// <param name="Moe">The MoE layer, or null for a dense model.</param>
    public sealed record ModelShape(TransformerDims Dims, int Layers, int MoeLayers, MoeLayerSpec? Moe)
    {
        private double Attention => Dims.QkvParametersPerRank(1) + Dims.OutputProjectionParametersPerRank(1) + 2.0 * Dims.HiddenDim;

        private double DenseMlp => (Dims.Ffn1Width + Dims.IntermediateSize) * (double)Dims.HiddenDim;

        private double ExpertMlp => 3.0 * Dims.HiddenDim * (Moe?.ExpertIntermediateSize ?? 0);

        private int DenseLayers => Moe is null ? Layers : Layers - MoeLayers;

        /// <summary>Weights of every layer (all experts).</summary>
        public double LayerParameters => DenseLayers * (Attention + DenseMlp)
            + (Layers - DenseLayers) * (Attention + ExpertMlp * ((Moe?.NumExperts ?? 0) + (Moe?.SharedExperts ?? 0)));

        /// <summary>Weights one token multiplies through (the experts it is routed to).</summary>
        public double ActiveLayerParameters => DenseLayers * (Attention + DenseMlp)
            + (Layers - DenseLayers) * (Attention + ExpertMlp * ((Moe?.TopK ?? 0) + (Moe?.SharedExperts ?? 0)));

        /// <summary>Weights of the expert layers a step over <paramref name="tokens"/> tokens touches.</summary>
        public double TouchedLayerParameters(double tokens)
        {
            if (Moe is null) return LayerParameters;
            var experts = Math.Min(Moe.NumExperts, tokens * Moe.TopK) + Moe.SharedExperts;
            return DenseLayers * (Attention + DenseMlp) + (Layers - DenseLayers) * (Attention + ExpertMlp * experts);
        }

        /// <summary>Embedding and LM-head weights.</summary>
        public double VocabularyParameters => Dims.VocabSize * (double)Dims.HiddenDim * (Dims.TiedEmbeddings ? 1 : 2);

        /// <summary>Width of the MLP activations per token.</summary>
        public double MlpWidth => Moe is null ? Dims.IntermediateSize : Dims.IntermediateSize * (DenseLayers / (double)Layers)
            + Moe.ExpertIntermediateSize * (Moe.TopK + Moe.SharedExperts) * ((Layers - DenseLayers) / (double)Layers);

        /// <summary>Attention FLOPs of one sequence of <paramref name="tokens"/> over all layers (forward; causal for language models).</summary>
        public double CausalAttentionFlops(double tokens) =>
            Layers * 4.0 * Dims.HeadDim * Dims.NumHeads * tokens * (Dims.CausalAttention ? (tokens + 1) / 2 : tokens);
    }

    /// <summary>Prefill of <paramref name="batch"/> prompts of <paramref name="promptTokens"/> tokens (logits of the last position only).</summary>
    /// <param name="shape">The model.</param>
    /// <param name="precision">Element widths.</param>
    /// <param name="batch">Sequences.</param>
    /// <param name="promptTokens">Tokens per prompt.</param>
    /// <param name="linkBytes">Bytes the phase sends over links, all GPUs together.</param>
    public static DeviceWork Prefill(ModelShape shape, PrecisionBytes precision, long batch, long promptTokens, double linkBytes)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(precision);
        var m = shape.Dims;
        double tokens = batch * promptTokens;
        var flops = 2 * tokens * shape.ActiveLayerParameters + 2.0 * batch * m.HiddenDim * m.VocabSize + batch * shape.CausalAttentionFlops(promptTokens);
        var weights = precision.Parameters * (shape.TouchedLayerParameters(tokens) + m.VocabSize * (double)m.HiddenDim);
        var kvWrite = shape.Layers * tokens * 2.0 * m.KvHeads * m.HeadDim * precision.KvCache;
        var activations = shape.Layers * tokens * precision.Activations * ActivationElements(shape);
        return new DeviceWork(flops, weights + kvWrite + activations, linkBytes);
    }

    /// <summary>One decode step of <paramref name="batch"/> sequences over <paramref name="kvLength"/> cached tokens.</summary>
    /// <param name="shape">The model.</param>
    /// <param name="precision">Element widths.</param>
    /// <param name="batch">Sequences.</param>
    /// <param name="kvLength">KV length including the new token.</param>
    /// <param name="linkBytes">Bytes the step sends over links, all GPUs together.</param>
    public static DeviceWork DecodeStep(ModelShape shape, PrecisionBytes precision, long batch, long kvLength, double linkBytes)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(precision);
        var m = shape.Dims;
        var flops = 2.0 * batch * (shape.ActiveLayerParameters + m.HiddenDim * (double)m.VocabSize)
                    + shape.Layers * 4.0 * m.HeadDim * m.NumHeads * batch * kvLength;
        var weights = precision.Parameters * (shape.TouchedLayerParameters(batch) + m.VocabSize * (double)m.HiddenDim);
        var kv = shape.Layers * (double)batch * kvLength * 2.0 * m.KvHeads * m.HeadDim * precision.KvCache;
        var activations = shape.Layers * (double)batch * precision.Activations * ActivationElements(shape);
        return new DeviceWork(flops, weights + kv + activations, linkBytes);
    }

    /// <summary>
    /// One training step over <paramref name="tokens"/> tokens on <paramref name="replicas"/> model replicas (data- and
    /// expert-parallel groups), each running <paramref name="microBatchesPerReplica"/> micro-batches: forward, backward
    /// (twice the forward's GEMMs, 2.5 times its attention) and a forward recompute under full recomputation, the
    /// FP32 loss, gradient accumulation and one fused AdamW pass over every parameter.
    /// </summary>
    /// <param name="shape">The model.</param>
    /// <param name="precision">Element widths.</param>
    /// <param name="tokens">Tokens per step (global batch × sequence).</param>
    /// <param name="sequenceLength">Tokens per sequence.</param>
    /// <param name="replicas">Model replicas.</param>
    /// <param name="microBatchesPerReplica">Micro-batches (all accumulation steps) each replica runs.</param>
    /// <param name="fullRecomputation">Whether the forward is recomputed in the backward pass.</param>
    /// <param name="shardedOptimizer">Whether the optimizer states are sharded over the replicas (ZeRO ≥ 1).</param>
    /// <param name="linkBytes">Bytes the step sends over links, all GPUs together.</param>
    public static DeviceWork TrainingStep(
        ModelShape shape, PrecisionBytes precision, double tokens, long sequenceLength, int replicas, double microBatchesPerReplica,
        bool fullRecomputation, bool shardedOptimizer, double linkBytes)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(precision);
        var m = shape.Dims;
        var recompute = fullRecomputation ? 1.0 : 0.0;
        var parameters = shape.LayerParameters + shape.VocabularyParameters;
        var sequences = tokens / Math.Max(1, sequenceLength);
        var flops = (6 + 2 * recompute) * tokens * shape.ActiveLayerParameters + 6 * tokens * m.HiddenDim * (double)m.VocabSize
                    + sequences * shape.CausalAttentionFlops(sequenceLength) * (1 + 2.5 + recompute)
                    + AdamFlopsPerParameter * parameters;
        var passes = microBatchesPerReplica * replicas;
        var weights = passes * (2 + recompute) * precision.Parameters * (shape.LayerParameters + m.VocabSize * (double)m.HiddenDim);
        var gradients = passes * 2 * precision.Gradients * parameters;
        var optimizerCopies = shardedOptimizer ? 1 : replicas;
        var optimizer = optimizerCopies * parameters
                        * (2 * precision.Parameters + precision.Gradients + 4 * precision.OptimizerStates + 2 * precision.MasterParameters);
        var activations = (1 + BackwardTrafficRatio + recompute) * shape.Layers * tokens * precision.Activations * ActivationElements(shape);
        var loss = tokens * m.VocabSize * (LossBytesPerLogit + 2 * precision.Activations);
        return new DeviceWork(flops, weights + gradients + optimizer + activations + loss, linkBytes);
    }

    private static double ActivationElements(ModelShape shape) =>
        HiddenAccessesPerToken * shape.Dims.HiddenDim + IntermediateAccessesPerToken * shape.MlpWidth;
}
