using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>
/// Costs one autoregressive decode step (HEAD's <c>_build_decode_transformer_results</c>): one new token per
/// sequence, attention over the KV cache with standard (never flash) attention, no backward.
/// </summary>
public static class DecodeStepEstimator
{
    /// <summary>Costs the step.</summary>
    /// <param name="workload">The workload; batch, model, parallelism and precision are used, sequence fields are not.</param>
    /// <param name="models">The device models.</param>
    /// <param name="kvLength">KV length including the new token (prompt length + step + 1).</param>
    /// <returns>The step's operator costs and node durations.</returns>
    public static DecodeStepCosts Estimate(TransformerWorkload workload, OperationCostModels models, long kvLength)
    {
        if (kvLength <= 0) throw new ArgumentOutOfRangeException(nameof(kvLength), "The KV length must be positive.");
        var c = new LayerCostContext(workload with { Phase = RunPhase.Decode }, models);
        var m = workload.Model;
        var b = workload.BatchSize;
        var shapes = LayerGemmShapes.ForDecodeStep(m, b, kvLength);

        var qkv = ShardedGemmCosts.Forward(c, shapes.Qkv, GemmRole.Qkv, decode: true);
        var score = ShardedGemmCosts.Forward(c, shapes.AttentionScore, GemmRole.AttentionScore, decode: true);
        var output = ShardedGemmCosts.Forward(c, shapes.AttentionOutput, GemmRole.AttentionOutput, decode: true);
        var softmax = PointwiseCosts.ScaleSoftmaxForward(c, shapes.AttentionScore);
        var outProj = ShardedGemmCosts.Forward(c, shapes.OutputProjection, GemmRole.OutputProjection);
        var ffn1 = ShardedGemmCosts.Forward(c, shapes.Ffn1, GemmRole.Ffn1);
        var ffn2 = ShardedGemmCosts.Forward(c, shapes.Ffn2, GemmRole.Ffn2);

        var ffn1Slice = ShardedGemm.Of(shapes.Ffn1, GemmRole.Ffn1, c.Parallelism);
        var activation = PointwiseCosts.ActivationForward(c, ffn1Slice.M, ffn1Slice.N);

        // Residuals act on one token per sequence: (B, 1, ·, D).
        var residual1 = PointwiseCosts.ResidualForward(c, new GemmShape(b, 1, m.QuerySize, m.HiddenDim));
        var (norm1, gather1, bytes1) = PointwiseCosts.LayerNormForward(c, b, 1);
        var residual2 = PointwiseCosts.ResidualForward(c, new GemmShape(b, 1, m.IntermediateSize, m.HiddenDim));
        var (norm2, gather2, bytes2) = PointwiseCosts.LayerNormForward(c, b, 1);
        var (linear, linearBytes) = VocabularyCosts.LinearSoftmaxForward(c, shapes.Linear);

        OperationCost[] ops =
        [
            Forward("qkv_proj", qkv),
            new("attention", LayerCostEstimator.Combine(score, softmax, output, score.Flops + output.Flops, roundBytesUp: true), null),
            new("attention_scale_softmax", DirectionCost.ComputeOnly(softmax), null),
            Forward("output_proj", outProj),
            Forward("ffn1", ffn1),
            Forward("ffn2", ffn2),
            new("gelu", DirectionCost.ComputeOnly(activation), null),
            new("layernorm1", new DirectionCost(norm1 + residual1, gather1?.TimeSeconds ?? 0, bytes1, 0, MemoryAccessBytes.None,
                LayerCostContext.Calls(gather1)), null),
            new("layernorm2", new DirectionCost(norm2 + residual2, gather2?.TimeSeconds ?? 0, bytes2, 0, MemoryAccessBytes.None,
                LayerCostContext.Calls(gather2)), null),
            new("linear_softmax", DirectionCost.ComputeOnly(linear) with { MemoryAccesses = c.DramOnly(linearBytes) }, null),
        ];

        // Summation order of the reference's decode step.
        var attentionComm = score.CommSeconds + output.CommSeconds;
        var mha = (qkv.ComputeSeconds + qkv.CommSeconds)
                  + (score.ComputeSeconds + softmax + output.ComputeSeconds + attentionComm)
                  + (outProj.ComputeSeconds + outProj.CommSeconds);
        var mlp = (ffn1.ComputeSeconds + ffn1.CommSeconds) + activation + (ffn2.ComputeSeconds + ffn2.CommSeconds);
        var transformer = mha + mlp + (residual1 + norm1) + (gather1?.TimeSeconds ?? 0)
                          + (residual2 + norm2) + (gather2?.TimeSeconds ?? 0);
        var nodes = new NodeBreakdown(transformer, 0.0, 0.0, 0.0, linear, 0.0);

        var crossStage = (double)(shapes.Qkv.M * shapes.Qkv.K) * workload.Precision.Activations;
        return new DecodeStepCosts(kvLength, c.Mode, shapes, ops, nodes, crossStage);
    }

    /// <summary>A decode GEMM operator; the reference rounds decode byte counts up.</summary>
    private static OperationCost Forward(string name, GemmPass pass) =>
        new(name, pass.ToDirection() with { CommBytes = (long)Math.Ceiling(pass.CommBytes) }, null);
}
