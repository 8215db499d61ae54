using System.Collections.Immutable;
using RapidLlm.Graphs;
using RapidLlm.Memory.Moe;
using RapidLlm.Operations.Moe;
using RapidLlm.Operations;

namespace RapidLlm.Memory;

/// <summary>
/// Computes the per-layer static sizes, per-op activation sizes, KV cache and ZeRO-3 gather size of
/// one pass (the reference's <c>build_memory_data</c> for dense models). Pure function of its inputs.
/// </summary>
internal static class MemoryDataBuilder
{
    private static readonly VertexMemoryKind[] ActivationKinds =
    [
        VertexMemoryKind.LayerNorm1, VertexMemoryKind.QkvProjection, VertexMemoryKind.Attention,
        VertexMemoryKind.OutputProjection, VertexMemoryKind.LayerNorm2, VertexMemoryKind.Mlp,
        VertexMemoryKind.Embedding, VertexMemoryKind.Softmax, VertexMemoryKind.Optimizer, VertexMemoryKind.Transformer,
    ];

    /// <summary>Builds the memory data of one pass.</summary>
    /// <param name="model">Model, sharding, precision and device.</param>
    /// <param name="phase">The pass.</param>
    /// <returns>The sizes.</returns>
    public static MemoryData Build(MemoryEstimatorInput model, MemoryPhaseInput phase)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(phase);
        var training = phase.Mode == MemoryMode.Training;
        var tp = Math.Max(1, model.TensorParallel);
        var cp = Math.Max(1, model.ContextParallel);
        var pp = Math.Max(1, model.PipelineStages);

        // Inference keeps one full replica per data-parallel group: nothing is ZeRO-sharded.
        var dp = training ? Math.Max(1, model.DataParallel) : 1;
        var seqPerRank = phase.SequenceLength / (double)cp;
        var activation = ClosedFormActivation(model, phase, seqPerRank);
        var inferenceActivation = seqPerRank * phase.BatchSize * model.IntermediateSize / tp * model.ActivationBytes;

        var (attentionParams, layerParams) = LayerParameters(model);
        var layer = LayerStatic.Of(model, layerParams, dp);
        var (embeddingParams, lmHeadParams) = VocabularyParameters(model);
        var largestGatherParams = Math.Max(layerParams, Math.Max(embeddingParams, lmHeadParams));
        var zero3Ephemeral = model.ZeroStage >= 3 && dp > 1 ? largestGatherParams * model.ParameterBytes : 0.0;

        // Embedding and LM head carry the same bytes per parameter as a layer (after ZeRO).
        var bytesPerParam = layer.Weights / layerParams;
        if (training)
        {
            bytesPerParam += (layer.Gradients / layerParams) + (layer.Optimizer / layerParams);
        }

        var ep = Math.Max(1, model.Moe?.ExpertParallel ?? 1);
        var extra = ExtraStatic(model, embeddingParams * bytesPerParam, lmHeadParams * bytesPerParam, pp, tp * cp * ep);

        // With MoE layers, the reference sizes a decode step's dense layers from a one-token prefill shape (the
        // attention scores see one key), while the MoE layers use the decode shapes.
        var densePhase = model.Moe is not null && !training && phase.AttentionKeyLength != phase.SequenceLength
            ? phase with { AttentionKeyLength = phase.SequenceLength }
            : phase;
        var (persistent, transient) = ActivationMaps(model, densePhase, training ? activation : inferenceActivation);

        return new MemoryData
        {
            Mode = phase.Mode,
            WeightBytesPerLayer = layer.Weights,
            GradientBytesPerLayer = layer.Gradients,
            OptimizerBytesPerLayer = layer.Optimizer,
            StaticBytesPerLayer = layer.Optimizer + layer.Gradients + layer.Weights,
            ActivationBytesPerLayer = activation,
            InferenceActivationBytesPerLayer = inferenceActivation,
            TotalBytesPerLayer = activation + layer.Weights,
            KvCacheBytesPerLayer = training ? 0.0 : KvCacheBytesPerLayer(model, phase),
            Zero3EphemeralPeakBytes = training ? zero3Ephemeral : 0.0,
            ParamGatherBytes = training && model.ZeroStage >= 3 && dp > 1 ? zero3Ephemeral : 0.0,
            ExtraStaticBytesPerDevice = extra,
            PersistentBytesByKind = persistent,
            TransientBytesByKind = transient,
            CheckpointBytesPerLayer = training ? CheckpointBytesPerLayer(model, phase, seqPerRank) : 0.0,
            Moe = model.Moe is { } moe
                ? MoeLayer(model, phase, moe, attentionParams, layerParams, layer.Weights, layer.Gradients, layer.Optimizer, training,
                    training ? activation : inferenceActivation)
                : null,
        };
    }

    /// <summary>Closed-form activation bytes of one layer (reported; the simulation uses the per-op sizes).</summary>
    private static double ClosedFormActivation(MemoryEstimatorInput model, MemoryPhaseInput phase, double seqPerRank)
    {
        var tp = Math.Max(1, model.TensorParallel);
        var a = model.ActivationBytes;
        var b = (double)phase.BatchSize;
        var h = (double)model.HiddenDim;
        if (model.FullRecompute)
        {
            return seqPerRank * b * h * 2 * (a / 2);
        }

        if (model.FlashAttention)
        {
            return seqPerRank * b * h * (34.0 / tp) * (a / 2);
        }

        return seqPerRank * b * h * ((34.0 / tp) + (5.0 * model.Heads * seqPerRank / (h * tp))) * (a / 2);
    }

    /// <summary>One rank's parameters of a layer's attention, and of the whole layer (attention and MLP).</summary>
    private static (double Attention, double Layer) LayerParameters(MemoryEstimatorInput model)
    {
        var tp = Math.Max(1, model.TensorParallel);
        var h = (double)model.HiddenDim;
        var (_, querySize, kvSize) = ShardedOutputElements.AttentionSizes(model);
        var projections = model.GatedMlp ? 3 : 2;
        // MLA replicates its down-projections on every tp rank and splits the up- and output projections.
        var attentionParams = model.Mla is { } mla
            ? (mla.DownQParameters(model.HiddenDim) + mla.DownKvParameters(model.HiddenDim))
              + ((mla.UpParameters + mla.OutputParameters(model.HiddenDim)) / (double)tp)
            : ((h * (querySize + (2 * kvSize))) + (querySize * h)) / tp;
        return (attentionParams, attentionParams + (model.IntermediateSize * (double)projections * h / tp));
    }

    /// <summary>A layer's weight, gradient and optimizer-state bytes on one rank, after ZeRO sharding.</summary>
    private readonly record struct LayerStatic(double Weights, double Gradients, double Optimizer)
    {
        public static LayerStatic Of(MemoryEstimatorInput model, double layerParams, int dp)
        {
            var optimizer = ((model.OptimizerStateBytes * 2) + model.ActivationBytes) * layerParams;
            var weights = (layerParams * model.ParameterBytes) + (layerParams * model.MasterParameterBytes);
            var gradients = layerParams * model.GradientBytes;
            if (model.ZeroStage >= 3)
            {
                weights /= dp;
            }

            if (model.ZeroStage >= 2)
            {
                gradients /= dp;
            }

            if (model.ZeroStage >= 1)
            {
                optimizer /= dp;
            }

            return new LayerStatic(weights, gradients, optimizer);
        }
    }

    /// <summary>One rank's embedding (or patch embedding) and separate LM head (or vision head) parameters.</summary>
    private static (double Embedding, double LmHead) VocabularyParameters(MemoryEstimatorInput model)
    {
        var tp = Math.Max(1, model.TensorParallel);
        // A vision transformer replicates its patch embedding and head on every tp rank; its head is never tied.
        var embeddingParams = model.Vision is { } vision
            ? vision.PatchEmbeddingParameters(model.HiddenDim)
            : model.DisableEmbeddingUnembedding ? 0.0 : (double)model.VocabularySize * model.HiddenDim / tp;
        var lmHeadParams = model.Vision is not null
            ? model.Vision.HeadParameters(model.HiddenDim)
            : model.TiedEmbeddings ? 0.0 : embeddingParams;
        return (embeddingParams, lmHeadParams);
    }

    /// <summary>One layer's KV cache on one rank during inference (0 without cached tokens).</summary>
    private static double KvCacheBytesPerLayer(MemoryEstimatorInput model, MemoryPhaseInput phase)
    {
        if (phase.KvCacheTokens <= 0)
        {
            return 0.0;
        }

        var tp = Math.Max(1, model.TensorParallel);
        var b = (double)phase.BatchSize;
        if (model.Mla is { } latent)
        {
            // The latent cache (latent + rotary key per token) is not split over tp; cp splits its tokens.
            return b * (latent.KvLoraRank + latent.QkRopeHeadDim) * model.KvCacheBytes * Math.Ceiling(phase.KvCacheTokens / (double)Math.Max(1, model.ContextParallel));
        }

        var (headDim, _, _) = ShardedOutputElements.AttentionSizes(model);
        var kvHeads = model.KeyValueHeads ?? model.Heads;
        var kvHeadsPerRank = (kvHeads + tp - 1) / tp;
        return b * kvHeadsPerRank * headDim * (double)phase.KvCacheTokens * model.KvCacheBytes * 2.0;
    }

    /// <summary>Full recomputation keeps each layer's input until its backward (calibrated model; the reference keeps none).</summary>
    private static double CheckpointBytesPerLayer(MemoryEstimatorInput model, MemoryPhaseInput phase, double seqPerRank) =>
        model.FullRecompute && model.KeepsRecomputeCheckpoints
            ? seqPerRank * phase.BatchSize * (double)model.HiddenDim * model.ActivationBytes / (model.TensorSequenceParallel ? Math.Max(1, model.TensorParallel) : 1)
            : 0.0;

    /// <summary>
    /// One MoE layer: attention as in the dense layer, this rank's share of the routed experts (split over the
    /// routing group, and over tp only with <c>tp_ep</c>), every shared expert, and the router, each parameter
    /// carrying the dense layer's bytes per parameter. Its MLP activations scale with the hot rank's routed tokens
    /// relative to the tokens it owns, plus one copy per shared expert.
    /// </summary>
    private static MoeLayerMemory MoeLayer(
        MemoryEstimatorInput model, MemoryPhaseInput phase, MoeMemoryInput moe, double attentionParams, double denseLayerParams,
        double denseWeights, double denseGradients, double denseOptimizer, bool training, double denseFallbackBytes)
    {
        var tp = Math.Max(1, model.TensorParallel);
        var group = Math.Max(1, moe.RoutingGroup);
        var h = (double)model.HiddenDim;
        var expertParams = (model.GatedMlp ? 3 : 2) * (double)moe.ExpertIntermediateSize * h;
        var routedPerRank = moe.NumExperts / (double)group;
        var routed = moe.TensorShardedExperts ? expertParams / tp * routedPerRank : expertParams * routedPerRank;
        var shared = moe.TensorShardedExperts ? expertParams / tp * moe.SharedExperts : expertParams * moe.SharedExperts;
        var layerParams = attentionParams + (routed + shared) + (h * moe.NumExperts);

        var weights = layerParams * (denseWeights / denseLayerParams);
        var gradients = training ? layerParams * (denseGradients / denseLayerParams) : 0.0;
        var optimizer = training ? layerParams * (denseOptimizer / denseLayerParams) : 0.0;

        var cp = Math.Max(1, model.ContextParallel);
        var owned = (double)phase.BatchSize * (cp > 1 ? Math.Ceiling(phase.SequenceLength / (double)cp) : phase.SequenceLength);
        var scale = 1.0;
        if (owned > 0)
        {
            var local = (long)Math.Ceiling(owned * moe.TopK / group);
            var expertsPerRank = (int)Math.Max(1, moe.NumExperts / (double)group);
            if (!training && local % expertsPerRank != 0)
            {
                local = (long)Math.Ceiling(local / (double)expertsPerRank) * expertsPerRank;
            }

            var profile = MoeImbalanceProfile.For(moe.ExpertImbalanceFactor, moe.NumExperts, expertsPerRank);
            local = MoeTokenRouting.HotRankTokens(local, expertsPerRank, profile);
            scale = (local / owned) + moe.SharedExperts;
        }

        var expertModel = model with { IntermediateSize = (int)moe.ExpertIntermediateSize };
        var (persistent, transient) = ActivationMaps(expertModel, phase, denseFallbackBytes, scale);
        return new MoeLayerMemory
        {
            WeightBytesPerLayer = weights,
            GradientBytesPerLayer = gradients,
            OptimizerBytesPerLayer = optimizer,
            StaticBytesPerLayer = weights + gradients + optimizer,
            PersistentBytesByKind = persistent,
            TransientBytesByKind = transient,
        };
    }

    private static ImmutableSortedDictionary<int, double> ExtraStatic(MemoryEstimatorInput model, double embeddingBytes, double lmHeadBytes, int pp, int ranks)
    {
        var extra = new SortedDictionary<int, double>();
        void Add(int stage, int rank, double bytes) =>
            extra[HardwareId(model, stage, rank, ranks)] = extra.GetValueOrDefault(HardwareId(model, stage, rank, ranks)) + bytes;

        for (var rank = 0; rank < ranks; rank++)
        {
            if (embeddingBytes != 0)
            {
                Add(0, rank, embeddingBytes);
            }

            if (lmHeadBytes != 0)
            {
                Add(pp - 1, rank, lmHeadBytes);
            }
        }

        if (model.ConstantOffsetBytes != 0)
        {
            for (var stage = 0; stage < pp; stage++)
            {
                for (var rank = 0; rank < ranks; rank++)
                {
                    Add(stage, rank, model.ConstantOffsetBytes);
                }
            }
        }

        return extra.ToImmutableSortedDictionary();
    }

    private static int HardwareId(MemoryEstimatorInput model, int stage, int rank, int ranks) =>
        model.Layout?.HardwareId(stage, rank) ?? (stage * ranks) + rank;

    private static (ImmutableDictionary<VertexMemoryKind, double> Persistent, ImmutableDictionary<VertexMemoryKind, double> Transient) ActivationMaps(
        MemoryEstimatorInput model, MemoryPhaseInput phase, double layerFallbackBytes, double? moeScale = null)
    {
        var a = model.ActivationBytes;
        var qkv = ShardedOutputElements.QkvProjection(model, phase) * a;
        var attentionOut = ShardedOutputElements.AttentionOutput(model, phase) * a;
        var outProj = ShardedOutputElements.OutputProjection(model, phase) * a;
        var ffn1 = ShardedOutputElements.Ffn1(model, phase) * a;
        var ffn2 = ShardedOutputElements.Ffn2(model, phase) * a;
        var scores = model.FlashAttention ? 0.0 : ShardedOutputElements.AttentionScore(model, phase) * a;
        var logits = ShardedOutputElements.Linear(model, phase) * a;
        var embedded = outProj;
        if (model.Vision is { } vision)
        {
            // A ViT's embedding writes every token of this rank's sequence share; its head one output vector per image.
            embedded = phase.BatchSize * (phase.SequenceLength / (double)Math.Max(1, model.ContextParallel)) * model.HiddenDim * a;
            logits = phase.BatchSize * (double)vision.OutputWidth(model.HiddenDim) * a;
        }

        var outputs = new Dictionary<VertexMemoryKind, double>
        {
            [VertexMemoryKind.LayerNorm1] = outProj,
            [VertexMemoryKind.QkvProjection] = qkv,
            [VertexMemoryKind.Attention] = attentionOut,
            [VertexMemoryKind.OutputProjection] = outProj,
            [VertexMemoryKind.LayerNorm2] = outProj,
            [VertexMemoryKind.Mlp] = ffn2,
            [VertexMemoryKind.Embedding] = model.DisableEmbeddingUnembedding ? 0.0 : embedded,
            [VertexMemoryKind.Softmax] = model.DisableEmbeddingUnembedding ? 0.0 : logits,
            [VertexMemoryKind.Optimizer] = 0.0,
            [VertexMemoryKind.Transformer] = layerFallbackBytes,
        };

        if (model.Mode == ParallelismMode.TensorSequence)
        {
            // With sequence parallelism the norms see the gathered sequence while the reduce-scattered outputs hold a shard.
            var degree = Math.Max(1, model.TensorParallel);
            var seq = (double)phase.SequenceLength;
            var full = phase.BatchSize * seq * model.HiddenDim * a;
            var shard = phase.BatchSize * Math.Ceiling(seq / degree) * model.HiddenDim * a;
            outputs[VertexMemoryKind.OutputProjection] = shard;
            outputs[VertexMemoryKind.Mlp] = shard;
            outputs[VertexMemoryKind.LayerNorm1] = full;
            outputs[VertexMemoryKind.LayerNorm2] = full;
        }

        if (moeScale is { } scale)
        {
            // A MoE layer's expert activations follow its routed tokens; the fallback grows by the same amount.
            var baseMlp = outputs[VertexMemoryKind.Mlp] + ffn1;
            outputs[VertexMemoryKind.Mlp] *= scale;
            ffn1 *= scale;
            outputs[VertexMemoryKind.Transformer] += (outputs[VertexMemoryKind.Mlp] + ffn1) - baseMlp;
        }

        // The attention op also holds the score matrix (without flash) and the MLP its first projection.
        outputs[VertexMemoryKind.Attention] += scores;
        outputs[VertexMemoryKind.Mlp] += ffn1;

        var kept = phase.Mode == MemoryMode.Training && !model.FullRecompute;
        var zeros = ActivationKinds.ToImmutableDictionary(k => k, _ => 0.0);
        var filled = ActivationKinds.ToImmutableDictionary(k => k, k => outputs[k]);
        return kept ? (filled, zeros) : (zeros, filled);
    }
}
