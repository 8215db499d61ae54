using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations.Vision;

/// <summary>
/// Costs of a vision transformer's patch embedding and head, which take the place of the token embedding and the
/// LM head around the encoder blocks (the newest reference's <c>vit_patch_embed</c>, <c>vit_pool</c> and <c>vit_head</c>).
/// </summary>
/// <remarks>
/// Like the reference, the patch-embedding and classifier GEMMs are timed for one image (the batch enters only their
/// byte counts); the encoder blocks, which dominate, are timed for the whole batch.
/// </remarks>
internal static class VisionCosts
{
    // The reference times the patch-embedding and classifier GEMMs for one image (its batch dimension is dropped); the
    // calibrated model multiplies every image of the batch.
    private static long Images(LayerCostContext c, long batch) => c.Models.Calibrated is null ? 1 : batch;

    /// <summary>
    /// Patch embedding forward: the patch projection GEMM, writing the token activations, and the host-to-device copy
    /// of the images when an h2d bandwidth is configured. Its DRAM traffic is the images plus the tokens.
    /// </summary>
    public static (double Seconds, double DramBytes) PatchEmbeddingForward(LayerCostContext c, VisionDims v, long batch, long sequence)
    {
        var d = c.Model.HiddenDim;
        var gemm = c.GemmSeconds(Images(c, batch) * v.NumPatches, v.PatchDim, d);
        var imageBytes = (double)batch * v.ImageHeight * v.ImageWidth * v.Channels * c.Precision.Activations;
        var tokenBytes = (double)batch * sequence * d * c.Precision.Activations;
        var time = gemm + c.DramRoofline(0, tokenBytes) + c.Overhead;
        var h2d = c.Workload.H2dBandwidthBytesPerSecond;
        if (h2d > 0) time += imageBytes / h2d;
        return (time, imageBytes + tokenBytes);
    }

    /// <summary>Patch embedding backward: both gradient GEMMs, their accumulation, and the token gradients' traffic.</summary>
    public static double PatchEmbeddingBackward(LayerCostContext c, VisionDims v, long batch, long sequence)
    {
        var d = c.Model.HiddenDim;
        var rows = Images(c, batch) * v.NumPatches;
        var gemm = c.GemmSeconds(rows, d, v.PatchDim) + c.GemmSeconds(v.PatchDim, rows, d);
        gemm += c.GradientAccumulationSeconds((double)v.PatchDim * d);
        var tokenBytes = (double)batch * sequence * d * c.Precision.Gradients;
        return gemm + c.DramRoofline(0, tokenBytes) + c.Overhead;
    }

    /// <summary>
    /// Head forward: the final layer norm over every token, the mean pool over the patch tokens, and the classifier
    /// GEMM when there is one. Its DRAM traffic is the norm's statistics, the pool's reads and the head's output.
    /// </summary>
    public static (double Seconds, double DramBytes) HeadForward(LayerCostContext c, VisionDims v, long batch)
    {
        var d = c.Model.HiddenDim;
        var sequence = c.Workload.ModelSequenceLength;
        var (norm, gather, _) = PointwiseCosts.LayerNormForward(c, batch, sequence);
        var time = norm + (gather?.TimeSeconds ?? 0);
        var bytes = (double)batch * sequence * d * c.Precision.Stats;

        var (pool, poolBytes) = Pool(c, v, batch);
        time += pool;
        bytes += poolBytes;

        if (v.NumClasses > 0) time += c.GemmSeconds(Images(c, batch), d, v.NumClasses);
        bytes += (double)batch * v.OutputWidth(d) * c.Precision.Activations;
        return (time, bytes);
    }

    /// <summary>Head backward: classifier gradients (and their accumulation), the pool, then the final norm.</summary>
    public static double HeadBackward(LayerCostContext c, VisionDims v, long batch)
    {
        var d = c.Model.HiddenDim;
        var time = 0.0;
        if (v.NumClasses > 0)
        {
            time += c.GemmSeconds(Images(c, batch), v.NumClasses, d) + c.GemmSeconds(d, Images(c, batch), v.NumClasses);
            time += c.GradientAccumulationSeconds((double)d * v.NumClasses);
        }

        time += Pool(c, v, batch).Seconds;
        var (norm, gather, _) = PointwiseCosts.LayerNormBackward(c, batch, c.Workload.ModelSequenceLength);
        return time + norm + (gather?.TimeSeconds ?? 0);
    }

    /// <summary>
    /// Mean pooling over this rank's patch tokens, plus an all-reduce of the pooled vectors when the sequence is split
    /// (tp with sequence parallelism, or cp).
    /// </summary>
    private static (double Seconds, double DramBytes) Pool(LayerCostContext c, VisionDims v, long batch)
    {
        var d = c.Model.HiddenDim;
        var degree = SequenceShardDegree(c);
        var patchTokens = Math.Max(1, c.Workload.ModelSequenceLength - v.PrefixTokens);
        var pooled = (double)Math.Max(1, ShardedGemm.CeilDiv(patchTokens, degree));
        var outputs = (double)batch * d;
        var bytes = c.Precision.Activations * (outputs * (pooled + 1.0));
        var time = c.DramRoofline(outputs * pooled, bytes) + c.Overhead;
        if (degree > 1)
        {
            var reduceBytes = Math.Ceiling((double)batch * d * c.Precision.Activations);
            if (reduceBytes > 0)
                time += c.Collective(CollectiveKind.AllReduce, reduceBytes, degree, c.Cp > 1 ? ParallelismAxis.Cp : ParallelismAxis.Tp).TimeSeconds;
        }

        return (time, bytes);
    }

    private static int SequenceShardDegree(LayerCostContext c) =>
        c.Mode is ParallelismMode.TensorSequence or ParallelismMode.Context or ParallelismMode.TensorContextHybrid
            ? Math.Max(1, c.Parallelism.SequenceParallelDegree)
            : 1;
}
