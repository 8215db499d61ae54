namespace RapidLlm.Operations;

/// <summary>The GEMM timing model the operation costs are built on.</summary>
internal interface IGemmCostModel
{
    /// <summary>Time and per-level traffic of an (M×K)·(K×N) GEMM.</summary>
    /// <param name="m">Rows of the output.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of the output.</param>
    /// <param name="includeKernelOverhead">Whether to add the kernel-launch overhead.</param>
    /// <returns>The estimate.</returns>
    GemmCost Estimate(long m, long k, long n, bool includeKernelOverhead);

    /// <summary>
    /// Time of one FlashAttention tile GEMM: no DRAM traffic, the given L2 traffic, quarter SM utilisation, no overhead.
    /// </summary>
    /// <param name="m">Rows of the output tile.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of the output tile.</param>
    /// <param name="readBytesL2">Bytes read from L2.</param>
    /// <param name="writeBytesL2">Bytes written to L2.</param>
    /// <returns>Seconds.</returns>
    double FlashTileSeconds(long m, long k, long n, double readBytesL2, double writeBytesL2);
}
