namespace RapidLlm.Operations;

/// <summary>The embedding lookup and the LM head + softmax, which sit outside the repeated layer.</summary>
internal static class VocabularyCosts
{
    /// <summary>
    /// Embedding forward: stream the table and write the token embeddings, plus the host-to-device copy of the
    /// same bytes when an h2d bandwidth is configured.
    /// </summary>
    public static (double Seconds, double DramBytes) EmbeddingForward(LayerCostContext c, long batch, long sequence)
    {
        var d = c.Model.HiddenDim;
        var bytes = c.Model.VocabSize * d * c.Precision.Activations + sequence * batch * d * c.Precision.Activations;
        var time = c.DramRoofline(0, bytes) + c.Overhead;
        var h2d = c.Workload.H2dBandwidthBytesPerSecond;
        var transfer = h2d > 0 ? bytes / h2d : 0.0;
        return (time + transfer, bytes);
    }

    /// <summary>Embedding backward: gradient traffic of the table and the tokens, plus gradient accumulation of this rank's table shard.</summary>
    public static double EmbeddingBackward(LayerCostContext c, long batch, long sequence)
    {
        var d = c.Model.HiddenDim;
        var bytes = c.Model.VocabSize * d * c.Precision.Gradients + sequence * batch * d * c.Precision.Gradients;
        var time = c.DramRoofline(0, bytes) + c.Overhead;
        var shard = Math.Ceiling((double)(c.Model.VocabSize * d) / Math.Max(1, c.Tp));
        return time + c.GradientAccumulationSeconds(shard);
    }

    /// <summary>
    /// LM head forward: the full-vocabulary GEMM on one device of the tp group (the reference's simplification)
    /// plus softmax over this rank's logit slice. For decode the GEMM covers one token, whatever the batch.
    /// </summary>
    public static (double Seconds, double DramBytes) LinearSoftmaxForward(LayerCostContext c, GemmShape linear)
    {
        if (c.Models.Calibrated is { } calibrated) return calibrated.LinearSoftmaxForward(c, linear);
        var gemm = c.GemmSeconds(linear.M, linear.K, linear.N);
        var (point, bytes) = PointwiseCosts.LogitsSoftmaxForward(c, linear.Batch * linear.M, linear.N);
        return (gemm + point, bytes);
    }

    /// <summary>LM head backward: both gradient GEMMs, gradient accumulation of the head, softmax backward.</summary>
    public static double LinearSoftmaxBackward(LayerCostContext c, GemmShape linear)
    {
        if (c.Models.Calibrated is { } calibrated) return calibrated.LinearSoftmaxBackward(c, linear);
        var gemm = c.GemmSeconds(linear.M, linear.N, linear.K) + c.GemmSeconds(linear.K, linear.M, linear.N);
        gemm += c.GradientAccumulationSeconds((double)linear.K * linear.N);
        return gemm + PointwiseCosts.LogitsSoftmaxBackward(c, linear.Batch * linear.M, linear.N);
    }
}
