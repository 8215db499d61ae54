using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>Costs every operator of one decoder layer for a training or prefill pass.</summary>
internal static class LayerCostEstimator
{
    /// <summary>Costs the layer, the embedding and the LM head, forward and backward.</summary>
    /// <param name="workload">The workload (its phase must not be <see cref="RunPhase.Decode"/>).</param>
    /// <param name="models">The device models.</param>
    /// <returns>The costs and the node breakdown.</returns>
    /// <exception cref="ArgumentException">The workload is invalid or is a decode step.</exception>
    public static LayerOperationCosts Estimate(TransformerWorkload workload, OperationCostModels models) =>
        Estimate(workload, models, DenseMlp);

    /// <summary>
    /// Costs the layer with the MLP block supplied by <paramref name="mlp"/> (MoE layers swap in expert FFNs), so that
    /// only the MLP the layer really runs is costed.
    /// </summary>
    internal static LayerOperationCosts Estimate(
        TransformerWorkload workload, OperationCostModels models,
        Func<LayerCostContext, LayerGemmShapes, (OperationCost Ffn1, OperationCost Activation, OperationCost Ffn2)> mlp)
    {
        if (workload.Phase == RunPhase.Decode)
            throw new ArgumentException("Use DecodeStepEstimator for decode steps.", nameof(workload));
        var c = new LayerCostContext(workload, models);
        var b = workload.BatchSize;
        var s = workload.SequenceLength;
        var shapes = LayerGemmShapes.ForSequence(workload.Model, b, s);

        var (qkv, attention, parts, outProj) = workload.Model.Mla is { } mla
            ? Mla.MlaAttentionCosts.Estimate(c, mla, b, s)
            : DenseAttention(c, shapes, b, s);
        var (ffn1, activation, ffn2) = mlp(c, shapes);

        // A vision transformer embeds patches and pools into a head where a language model looks up and unembeds tokens.
        var vision = workload.Model.Vision;
        var (embF, embBytes) = vision is null
            ? VocabularyCosts.EmbeddingForward(c, b, s)
            : Vision.VisionCosts.PatchEmbeddingForward(c, vision, b, s);
        var embB = vision is null ? VocabularyCosts.EmbeddingBackward(c, b, s) : Vision.VisionCosts.PatchEmbeddingBackward(c, vision, b, s);
        var embedding = new OperationCost("embedding",
            DirectionCost.ComputeOnly(embF) with { MemoryAccesses = c.DramOnly(embBytes) },
            DirectionCost.ComputeOnly(embB));

        var layerNorm1 = LayerNorm(c, "layernorm1", shapes.OutputProjection, b, s);
        var layerNorm2 = LayerNorm(c, "layernorm2", shapes.Ffn2, b, s);

        var (lsF, lsBytes) = vision is null
            ? VocabularyCosts.LinearSoftmaxForward(c, shapes.Linear)
            : Vision.VisionCosts.HeadForward(c, vision, b);
        var lsB = vision is null ? VocabularyCosts.LinearSoftmaxBackward(c, shapes.Linear) : Vision.VisionCosts.HeadBackward(c, vision, b);
        var linearSoftmax = new OperationCost("linear_softmax",
            DirectionCost.ComputeOnly(lsF) with { MemoryAccesses = c.DramOnly(lsBytes) },
            DirectionCost.ComputeOnly(lsB));

        // Same summation order as the reference: attention block, MLP group, then the norms.
        var forward = qkv.Forward.TotalTimeSeconds + attention.Forward.TotalTimeSeconds + outProj.Forward.TotalTimeSeconds
                      + (ffn1.Forward.TotalTimeSeconds + activation.Forward.TotalTimeSeconds + ffn2.Forward.TotalTimeSeconds)
                      + layerNorm1.Forward.TotalTimeSeconds + layerNorm2.Forward.TotalTimeSeconds;
        var backward = qkv.Backward!.TotalTimeSeconds + attention.Backward!.TotalTimeSeconds + outProj.Backward!.TotalTimeSeconds
                       + (ffn1.Backward!.TotalTimeSeconds + activation.Backward!.TotalTimeSeconds + ffn2.Backward!.TotalTimeSeconds)
                       + layerNorm1.Backward!.TotalTimeSeconds + layerNorm2.Backward!.TotalTimeSeconds;
        var nodes = new NodeBreakdown(forward, backward,
            embedding.Forward.TotalTimeSeconds, embedding.Backward!.TotalTimeSeconds,
            linearSoftmax.Forward.TotalTimeSeconds, linearSoftmax.Backward!.TotalTimeSeconds);

        return new LayerOperationCosts(c.Mode, shapes, qkv, attention, parts, outProj, ffn1, activation, ffn2,
            layerNorm1, layerNorm2, embedding, linearSoftmax, nodes);
    }

    private static (OperationCost Qkv, OperationCost Attention, EquatableArray<OperationCost> Parts, OperationCost OutputProjection)
        DenseAttention(LayerCostContext c, LayerGemmShapes shapes, long b, long s)
    {
        var qkv = GemmOperation(c, "qkv_proj", shapes.Qkv, GemmRole.Qkv);
        var (attention, parts) = c.Workload.FlashAttention
            ? (FlashAttention(c, b, s), EquatableArray<OperationCost>.Empty)
            : StandardAttention(c, shapes);
        var outProj = GemmOperation(c, "output_proj", shapes.OutputProjection, GemmRole.OutputProjection);
        return (qkv, attention, parts, outProj);
    }

    private static (OperationCost Ffn1, OperationCost Activation, OperationCost Ffn2) DenseMlp(LayerCostContext c, LayerGemmShapes shapes)
    {
        var ffn1 = GemmOperation(c, "ffn1", shapes.Ffn1, GemmRole.Ffn1);
        var ffn2 = GemmOperation(c, "ffn2", shapes.Ffn2, GemmRole.Ffn2);
        var ffn1Slice = ShardedGemm.Of(shapes.Ffn1, GemmRole.Ffn1, c.Parallelism);
        var activation = new OperationCost("gelu",
            DirectionCost.ComputeOnly(PointwiseCosts.ActivationForward(c, ffn1Slice.M, ffn1Slice.N)),
            DirectionCost.ComputeOnly(PointwiseCosts.ActivationBackward(c, ffn1Slice.M, ffn1Slice.N)));
        return (ffn1, activation, ffn2);
    }

    private static OperationCost GemmOperation(LayerCostContext c, string name, GemmShape shape, GemmRole role) =>
        new(name, ShardedGemmCosts.Forward(c, shape, role).ToDirection(), ShardedGemmCosts.Backward(c, shape, role).ToDirection());

    private static (OperationCost Attention, EquatableArray<OperationCost> Parts) StandardAttention(
        LayerCostContext c, LayerGemmShapes shapes)
    {
        var scoreF = ShardedGemmCosts.Forward(c, shapes.AttentionScore, GemmRole.AttentionScore);
        var scoreB = ShardedGemmCosts.Backward(c, shapes.AttentionScore, GemmRole.AttentionScore);
        var softmaxF = PointwiseCosts.ScaleSoftmaxForward(c, shapes.AttentionScore);
        var softmaxB = PointwiseCosts.ScaleSoftmaxBackward(c, shapes.AttentionScore);
        var outF = ShardedGemmCosts.Forward(c, shapes.AttentionOutput, GemmRole.AttentionOutput);
        var outB = ShardedGemmCosts.Backward(c, shapes.AttentionOutput, GemmRole.AttentionOutput);

        var parts = new[]
        {
            new OperationCost("attention_score", scoreF.ToDirection(), scoreB.ToDirection()),
            new OperationCost("attention_scale_softmax", DirectionCost.ComputeOnly(softmaxF), DirectionCost.ComputeOnly(softmaxB)),
            new OperationCost("attention_output", outF.ToDirection(), outB.ToDirection()),
        };
        var forward = Combine(scoreF, softmaxF, outF, scoreF.Flops + outF.Flops);
        var backward = Combine(scoreB, softmaxB, outB, 0) with { MemoryAccesses = MemoryAccessBytes.None };
        return (new OperationCost("attention", forward, backward), parts);
    }

    /// <summary>Standard attention reported as one operator: both GEMMs, the softmax between them and their collectives.</summary>
    internal static DirectionCost Combine(GemmPass score, double softmax, GemmPass output, double flops, bool roundBytesUp = false)
    {
        var bytes = score.CommBytes + output.CommBytes;
        var calls = new List<CollectiveCall>(2);
        calls.AddRange(LayerCostContext.Calls(score.Call));
        calls.AddRange(LayerCostContext.Calls(output.Call));
        return new DirectionCost(
            score.ComputeSeconds + softmax + output.ComputeSeconds,
            score.CommSeconds + output.CommSeconds,
            roundBytesUp ? (long)Math.Ceiling(bytes) : (long)bytes,
            flops,
            score.Memory.Plus(output.Memory),
            calls.ToArray());
    }

    private static OperationCost FlashAttention(LayerCostContext c, long batch, long sequence)
    {
        var (forward, dramBytes) = FlashAttentionCosts.Forward(c, batch, sequence);
        var (backward, scatter, scatterBytes) = FlashAttentionCosts.Backward(c, batch, sequence);
        return new OperationCost("attention",
            DirectionCost.ComputeOnly(forward) with { MemoryAccesses = c.DramOnly(dramBytes) },
            new DirectionCost(backward, scatter?.TimeSeconds ?? 0, (long)scatterBytes, 0, MemoryAccessBytes.None,
                LayerCostContext.Calls(scatter)));
    }

    private static OperationCost LayerNorm(LayerCostContext c, string name, GemmShape residualShape, long batch, long sequence)
    {
        var residualF = PointwiseCosts.ResidualForward(c, residualShape);
        var residualB = PointwiseCosts.ResidualBackward(c, residualShape);
        var (normF, gatherF, bytesF) = PointwiseCosts.LayerNormForward(c, batch, sequence);
        var (normB, gatherB, bytesB) = PointwiseCosts.LayerNormBackward(c, batch, sequence);
        return new OperationCost(name,
            new DirectionCost(normF + residualF, gatherF?.TimeSeconds ?? 0, bytesF, 0, MemoryAccessBytes.None, LayerCostContext.Calls(gatherF)),
            new DirectionCost(normB + residualB, gatherB?.TimeSeconds ?? 0, bytesB, 0, MemoryAccessBytes.None, LayerCostContext.Calls(gatherB)));
    }
}
