using RapidLlm.Configuration;

namespace RapidLlm.Compute;

/// <summary>
/// The calibrated model's fused attention kernels (FlashAttention-2 style): the forward pass does two products per
/// (query, key) pair, 4·d FLOPs, plus the softmax's non-tensor work; the backward pass recomputes the scores and
/// does five products, 2.5 times the forward's. Each query row also pays a fixed cost worth
/// <see cref="CalibratedAttentionConfig.FlashOverheadTokens"/> keys, which is what makes short sequences slow.
/// Throughputs are the measured fractions of the datasheet tensor rate at head dimension 128.
/// </summary>
/// <param name="peakFlopsPerSecond">Datasheet tensor rate at the kernel's precision.</param>
/// <param name="attention">The calibrated attention parameters.</param>
internal sealed class CalibratedAttentionModel(double peakFlopsPerSecond, CalibratedAttentionConfig attention)
{
    private const double ReferenceHeadDim = 128;

    /// <summary>Backward products per forward product.</summary>
    public const double BackwardFlopsRatio = 2.5;

    /// <summary>Forward FLOPs of one head: 4·d per (query, key) pair.</summary>
    /// <param name="pairs">(query, key) pairs attended (a causal sequence of S tokens has S(S+1)/2).</param>
    /// <param name="headDim">Head dimension d.</param>
    public static double ForwardFlops(double pairs, long headDim) => 4.0 * headDim * pairs;

    /// <summary>GPU time of the forward kernel over <paramref name="heads"/> heads.</summary>
    /// <param name="heads">Heads on this rank, times the batch.</param>
    /// <param name="queries">Query rows of one head.</param>
    /// <param name="pairs">(query, key) pairs of one head.</param>
    /// <param name="headDim">Head dimension d.</param>
    /// <returns>Seconds, without the kernel's fixed cost.</returns>
    public double ForwardSeconds(double heads, double queries, double pairs, long headDim) =>
        Work(heads, queries, pairs, headDim) / (peakFlopsPerSecond * attention.FlashForwardEfficiency);

    /// <summary>GPU time of the backward kernels.</summary>
    /// <param name="heads">Heads on this rank, times the batch.</param>
    /// <param name="queries">Query rows of one head.</param>
    /// <param name="pairs">(query, key) pairs of one head.</param>
    /// <param name="headDim">Head dimension d.</param>
    /// <returns>Seconds, without the kernels' fixed cost.</returns>
    public double BackwardSeconds(double heads, double queries, double pairs, long headDim) =>
        BackwardFlopsRatio * Work(heads, queries, pairs, headDim) / (peakFlopsPerSecond * attention.FlashBackwardEfficiency);

    // Tensor FLOPs including the per-row fixed cost, scaled for the softmax's share at this head dimension relative to d = 128.
    private double Work(double heads, double queries, double pairs, long headDim)
    {
        var x = attention.FlashPairOverheadFlops;
        var headDimFactor = (4.0 * headDim + x) / (4.0 * headDim) * (4.0 * ReferenceHeadDim / (4.0 * ReferenceHeadDim + x));
        return heads * ForwardFlops(pairs + queries * attention.FlashOverheadTokens, headDim) * headDimFactor;
    }
}
