using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>
/// Costs one autoregressive decode step (HEAD's <c>_build_decode_transformer_results</c>): one new token per
/// sequence, attention over the KV cache with standard (never flash) attention, no backward.
/// </summary>
internal static class DecodeStepEstimator
{
    /// <summary>Costs the step.</summary>
    /// <param name="workload">The workload; batch, model, parallelism and precision are used, sequence fields are not.</param>
    /// <param name="models">The device models.</param>
    /// <param name="kvLength">KV length including the new token (prompt length + step + 1).</param>
    /// <returns>The step's operator costs and node durations.</returns>
    public static DecodeStepCosts Estimate(TransformerWorkload workload, OperationCostModels models, long kvLength) =>
        Estimate(workload, models, kvLength, mlp: null);

    /// <summary>
    /// Costs the step with the MLP block supplied by <paramref name="mlp"/> (MoE layers swap in routed experts);
    /// the dense MLP when null. MLA models take the latent-cache attention path.
    /// </summary>
    internal static DecodeStepCosts Estimate(
        TransformerWorkload workload, OperationCostModels models, long kvLength,
        Func<LayerCostContext, LayerGemmShapes, DecodeMlpCosts>? mlp)
    {
        if (kvLength <= 0) throw new ArgumentOutOfRangeException(nameof(kvLength), "The KV length must be positive.");
        var c = new LayerCostContext(workload with { Phase = RunPhase.Decode }, models);
        var m = workload.Model;
        var b = workload.BatchSize;
        var shapes = LayerGemmShapes.ForDecodeStep(m, b, kvLength);

        var (qkv, _, attentionParts, outProj, scoreCompute, softmax, outputCompute, attentionComm) = m.Mla is { } mla
            ? LatentAttention(c, mla, b, kvLength)
            : StandardAttention(c, shapes);
        var block = (mlp ?? DenseMlp)(c, shapes);
        var ffn1 = block.Ffn1.Forward;
        var ffn2 = block.Ffn2.Forward;
        var activation = block.ActivationSeconds;

        // Residuals act on one token per sequence: (B, 1, ·, D).
        var residual1 = PointwiseCosts.ResidualForward(c, new GemmShape(b, 1, m.QuerySize, m.HiddenDim));
        var (norm1, gather1, bytes1) = PointwiseCosts.LayerNormForward(c, b, 1);
        var residual2 = PointwiseCosts.ResidualForward(c, new GemmShape(b, 1, m.IntermediateSize, m.HiddenDim));
        var (norm2, gather2, bytes2) = PointwiseCosts.LayerNormForward(c, b, 1);
        var (linear, linearBytes) = VocabularyCosts.LinearSoftmaxForward(c, shapes.Linear);

        var ops = new List<OperationCost> { qkv };
        ops.AddRange(attentionParts);
        ops.Add(outProj);
        ops.AddRange(block.ExtraOperations);
        ops.AddRange(
        [
            block.Ffn1,
            block.Ffn2,
            new("gelu", DirectionCost.ComputeOnly(activation), null),
            new("layernorm1", new DirectionCost(norm1 + residual1, gather1?.TimeSeconds ?? 0, bytes1, 0, MemoryAccessBytes.None,
                LayerCostContext.Calls(gather1)), null),
            new("layernorm2", new DirectionCost(norm2 + residual2, gather2?.TimeSeconds ?? 0, bytes2, 0, MemoryAccessBytes.None,
                LayerCostContext.Calls(gather2)), null),
            new("linear_softmax", DirectionCost.ComputeOnly(linear) with { MemoryAccesses = c.DramOnly(linearBytes) }, null),
        ]);

        // Summation order of the reference's decode step.
        var mha = (qkv.Forward.ComputeTimeSeconds + qkv.Forward.CommTimeSeconds)
                  + (scoreCompute + softmax + outputCompute + attentionComm)
                  + (outProj.Forward.ComputeTimeSeconds + outProj.Forward.CommTimeSeconds);
        var mlpSeconds = (ffn1.ComputeTimeSeconds + ffn1.CommTimeSeconds) + activation + (ffn2.ComputeTimeSeconds + ffn2.CommTimeSeconds);
        if (mlp is not null) mlpSeconds += block.ExtraSeconds;
        var transformer = mha + mlpSeconds + (residual1 + norm1) + (gather1?.TimeSeconds ?? 0)
                          + (residual2 + norm2) + (gather2?.TimeSeconds ?? 0);
        var nodes = new NodeBreakdown(transformer, 0.0, 0.0, 0.0, linear, 0.0);

        var crossStage = (double)(shapes.Qkv.M * shapes.Qkv.K) * workload.Precision.Activations;
        return new DecodeStepCosts(kvLength, c.Mode, shapes, ops.ToArray(), nodes, crossStage);
    }

    /// <summary>The step's attention operators and the four terms its time is summed from.</summary>
    private readonly record struct AttentionBlock(
        OperationCost Qkv, OperationCost Attention, EquatableArray<OperationCost> Parts, OperationCost OutputProjection,
        double ScoreCompute, double Softmax, double OutputCompute, double Comm);

    private static AttentionBlock StandardAttention(LayerCostContext c, LayerGemmShapes shapes)
    {
        var qkv = ShardedGemmCosts.Forward(c, shapes.Qkv, GemmRole.Qkv, decode: true);
        var score = ShardedGemmCosts.Forward(c, shapes.AttentionScore, GemmRole.AttentionScore, decode: true);
        var output = ShardedGemmCosts.Forward(c, shapes.AttentionOutput, GemmRole.AttentionOutput, decode: true);
        var softmax = PointwiseCosts.ScaleSoftmaxForward(c, shapes.AttentionScore);
        var outProj = ShardedGemmCosts.Forward(c, shapes.OutputProjection, GemmRole.OutputProjection);
        var attention = new OperationCost("attention",
            LayerCostEstimator.Combine(score, softmax, output, score.Flops + output.Flops, roundBytesUp: true), null);
        OperationCost[] parts = [attention, new("attention_scale_softmax", DirectionCost.ComputeOnly(softmax), null)];
        return new AttentionBlock(Forward("qkv_proj", qkv), attention, parts, Forward("output_proj", outProj),
            score.ComputeSeconds, softmax, output.ComputeSeconds, score.CommSeconds + output.CommSeconds);
    }

    /// <summary>MLA over the latent cache: absorbed queries attend to the cached latents (flash never applies).</summary>
    private static AttentionBlock LatentAttention(LayerCostContext c, Mla.MlaDims mla, long batch, long kvLength)
    {
        var (qkv, attention, parts, outProj) = Mla.MlaDecodeCosts.Estimate(c, mla, batch, kvLength);
        var score = parts.First(p => p.Name == "attention_score").Forward;
        var softmax = parts.First(p => p.Name == "attention_scale_softmax").Forward;
        var output = parts.First(p => p.Name == "attention_output").Forward;
        var listed = new List<OperationCost>(parts) { attention };
        return new AttentionBlock(qkv, attention, listed.ToArray(), outProj,
            score.ComputeTimeSeconds, softmax.ComputeTimeSeconds, output.ComputeTimeSeconds, attention.Forward.CommTimeSeconds);
    }

    private static DecodeMlpCosts DenseMlp(LayerCostContext c, LayerGemmShapes shapes)
    {
        var ffn1 = ShardedGemmCosts.Forward(c, shapes.Ffn1, GemmRole.Ffn1);
        var ffn2 = ShardedGemmCosts.Forward(c, shapes.Ffn2, GemmRole.Ffn2);
        return new DecodeMlpCosts(Forward("ffn1", ffn1), DenseActivationSeconds(c, shapes), Forward("ffn2", ffn2), 0,
            EquatableArray<OperationCost>.Empty);
    }

    /// <summary>The activation over this rank's slice of the FFN1 output.</summary>
    internal static double DenseActivationSeconds(LayerCostContext c, LayerGemmShapes shapes)
    {
        var ffn1Slice = ShardedGemm.Of(shapes.Ffn1, GemmRole.Ffn1, c.Parallelism);
        return PointwiseCosts.ActivationForward(c, ffn1Slice.M, ffn1Slice.N);
    }

    /// <summary>A decode GEMM operator; the reference rounds decode byte counts up.</summary>
    internal static OperationCost Forward(string name, GemmPass pass) =>
        new(name, pass.ToDirection() with { CommBytes = (long)Math.Ceiling(pass.CommBytes) }, null);
}
