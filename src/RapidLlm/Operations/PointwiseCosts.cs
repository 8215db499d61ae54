using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>
/// Roofline costs of the elementwise operators of a layer (scale+softmax, residual adds, GELU/SwiGLU, layer norms).
/// FLOP and byte counts per element are the reference's constants; each kernel adds its launch overheads.
/// </summary>
internal static class PointwiseCosts
{
    private const int SoftmaxForwardFlops = 7;
    private const int SoftmaxForwardAccesses = 4;
    private const int SoftmaxBackwardFlops = 4;
    private const int SoftmaxBackwardAccesses = 3;
    private const int GeluForwardFlops = 10;
    private const int GeluBackwardFlops = 20;
    private const int SiluForwardFlops = 10;
    private const int SiluBackwardFlops = 20;
    private const int LayerNormForwardFlops = 7;
    private const int LayerNormBackwardFlops = 14;
    private const int LayerNormForwardAccesses = 2;
    private const int LayerNormBackwardAccesses = 4;

    /// <summary>Scale + softmax over the attention scores of this rank (scores split over tp·cp).</summary>
    public static double ScaleSoftmaxForward(LayerCostContext c, GemmShape score)
    {
        var elements = ScoreElements(c, score);
        return c.DramRoofline(elements * (SoftmaxForwardFlops + 1), c.Precision.Activations * elements * SoftmaxForwardAccesses)
               + c.Overhead;
    }

    /// <summary>Backward of scale + softmax.</summary>
    public static double ScaleSoftmaxBackward(LayerCostContext c, GemmShape score)
    {
        var elements = ScoreElements(c, score);
        return c.DramRoofline(elements * (SoftmaxBackwardFlops + 1), c.Precision.Activations * elements * SoftmaxBackwardAccesses)
               + c.Overhead;
    }

    private static long ScoreElements(LayerCostContext c, GemmShape score) =>
        ShardedGemm.CeilDiv(score.Batch * score.M * score.N, (long)c.Tp * c.Cp);

    /// <summary>Residual add on a GEMM's output tensor (rows split by the sequence-parallel degree where the mode shards the sequence).</summary>
    public static double ResidualForward(LayerCostContext c, GemmShape output)
    {
        var elements = ResidualElements(c, output);
        return c.DramRoofline(2 * elements, c.Precision.Activations * elements * 3) + c.Overhead;
    }

    /// <summary>Residual backward: the gradient passes through.</summary>
    public static double ResidualBackward(LayerCostContext c, GemmShape output)
    {
        var elements = ResidualElements(c, output);
        return c.DramRoofline(elements, c.Precision.Gradients * elements * 3) + c.Overhead;
    }

    private static long ResidualElements(LayerCostContext c, GemmShape output)
    {
        var rows = output.M;
        if (c.Mode is ParallelismMode.TensorSequence or ParallelismMode.Context or ParallelismMode.TensorContextHybrid)
            rows = ShardedGemm.CeilDiv(rows, Math.Max(1, c.Parallelism.SequenceParallelDegree));
        return output.Batch * rows * output.N;
    }

    /// <summary>GELU or SwiGLU forward on this rank's FFN1 output (rows × columns).</summary>
    public static double ActivationForward(LayerCostContext c, long rows, long columns)
    {
        if (!c.Model.GatedMlp)
            return c.DramRoofline(rows * columns * GeluForwardFlops, c.Precision.Activations * rows * columns * 2) + 2 * c.Overhead;
        var gate = Math.Max(columns / 2, 1);
        return c.DramRoofline(rows * (gate * SiluForwardFlops + gate), c.Precision.Activations * rows * (2 * gate + gate))
               + 2 * c.Overhead;
    }

    /// <summary>GELU or SwiGLU backward.</summary>
    public static double ActivationBackward(LayerCostContext c, long rows, long columns)
    {
        if (!c.Model.GatedMlp)
            return c.DramRoofline(rows * columns * GeluBackwardFlops, c.Precision.Gradients * rows * columns * 3) + 3 * c.Overhead;
        var gate = Math.Max(columns / 2, 1);
        return c.DramRoofline(rows * (gate * SiluBackwardFlops + 2 * gate), c.Precision.Gradients * rows * (2 * gate + gate + 2 * gate))
               + 3 * c.Overhead;
    }

    /// <summary>
    /// Layer norm forward and its all-gather. Sequence-parallel modes normalise only this rank's sequence slice
    /// (and TP×CP also only its hidden slice); plain CP normalises the whole sequence in forward, as the reference does.
    /// </summary>
    public static (double ComputeSeconds, CollectiveCall? Gather, long GatherBytes) LayerNormForward(
        LayerCostContext c, long batch, long sequence)
    {
        var d = c.Model.HiddenDim;
        var sd = c.Parallelism.SequenceParallelDegree;
        double elements = c.Mode switch
        {
            ParallelismMode.TensorContextHybrid => (double)(batch * ShardedGemm.CeilDiv(sequence, sd) * d) / c.Tp,
            ParallelismMode.TensorSequence => batch * ShardedGemm.CeilDiv(sequence, sd) * d,
            _ => batch * sequence * d,
        };
        var compute = c.DramRoofline(elements * LayerNormForwardFlops, c.Precision.Stats * elements * LayerNormForwardAccesses)
                      + 3 * c.Overhead;
        if (c.Mode is not (ParallelismMode.TensorSequence or ParallelismMode.TensorContextHybrid)) return (compute, null, 0);
        var bytes = (long)Math.Ceiling(c.Precision.Stats * elements);
        return (compute, c.Collective(CollectiveKind.AllGather, bytes, c.Tp, ParallelismAxis.Tp), bytes);
    }

    /// <summary>Layer norm backward (with the γ/β gradient accumulation) and its all-gather.</summary>
    public static (double ComputeSeconds, CollectiveCall? Gather, long GatherBytes) LayerNormBackward(
        LayerCostContext c, long batch, long sequence)
    {
        var d = c.Model.HiddenDim;
        var sd = c.Parallelism.SequenceParallelDegree;
        double elements = c.Mode == ParallelismMode.TensorContextHybrid
            ? (double)(batch * ShardedGemm.CeilDiv(sequence, sd) * d) / c.Tp
            : batch * ShardedGemm.CeilDiv(sequence, sd) * d;
        var compute = c.DramRoofline(elements * LayerNormBackwardFlops, c.Precision.Stats * elements * LayerNormBackwardAccesses)
                      + 4 * c.Overhead;
        compute += c.GradientAccumulationSeconds(2 * d);
        if (c.Mode is not (ParallelismMode.TensorSequence or ParallelismMode.TensorContextHybrid)) return (compute, null, 0);
        var bytes = (long)Math.Ceiling(c.Precision.GradCommunication * elements);
        return (compute, c.Collective(CollectiveKind.AllGather, bytes, c.Tp, ParallelismAxis.Tp), bytes);
    }

    /// <summary>Softmax forward over this rank's slice of the logits (split over tp·cp).</summary>
    public static (double Seconds, double Bytes) LogitsSoftmaxForward(LayerCostContext c, long tokens, long vocab)
    {
        var elements = (double)(tokens * vocab) / ((long)c.Tp * c.Cp);
        var bytes = c.Precision.Activations * elements * SoftmaxForwardAccesses;
        return (c.DramRoofline(elements * SoftmaxForwardFlops, bytes) + 4 * c.Overhead, bytes);
    }

    /// <summary>Softmax backward over this rank's slice of the logits.</summary>
    public static double LogitsSoftmaxBackward(LayerCostContext c, long tokens, long vocab)
    {
        var elements = (double)(tokens * vocab) / ((long)c.Tp * c.Cp);
        return c.DramRoofline(elements * SoftmaxBackwardFlops, c.Precision.Activations * elements * SoftmaxBackwardAccesses)
               + 4 * c.Overhead;
    }
}
