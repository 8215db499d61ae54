namespace RapidLlm.Compute;

/// <summary>How one GEMM is timed; part of the memoisation key.</summary>
/// <param name="DisableOverhead">Leave out the kernel launch overhead.</param>
/// <param name="FlashAttention">
/// Time it as a fused FlashAttention inner GEMM: no DRAM traffic, the given L2 traffic, 25 % SM utilisation and no
/// kernel overhead.
/// </param>
/// <param name="FlashReadBytesL2">L2 bytes read by the fused kernel (FlashAttention only).</param>
/// <param name="FlashWriteBytesL2">L2 bytes written by the fused kernel (FlashAttention only).</param>
internal readonly record struct GemmOptions(
    bool DisableOverhead = false,
    bool FlashAttention = false,
    double FlashReadBytesL2 = 0,
    double FlashWriteBytesL2 = 0)
{
    /// <summary>A plain GEMM with the kernel overhead.</summary>
    public static GemmOptions Default => default;

    /// <summary>A plain GEMM without the kernel overhead.</summary>
    public static GemmOptions WithoutOverhead => new(DisableOverhead: true);

    /// <summary>A FlashAttention inner GEMM with the given L2 traffic.</summary>
    /// <param name="readBytesL2">L2 bytes read.</param>
    /// <param name="writeBytesL2">L2 bytes written.</param>
    /// <returns>The options.</returns>
    public static GemmOptions ForFlashAttention(double readBytesL2, double writeBytesL2) =>
        new(FlashAttention: true, FlashReadBytesL2: readBytesL2, FlashWriteBytesL2: writeBytesL2);
}
