namespace RapidLlm.Compute;

/// <summary>The outcome of the tiled-GEMM search: the fastest tiling and what it costs.</summary>
/// <param name="TimeSeconds">Predicted kernel time, including the kernel overhead unless disabled (or FlashAttention).</param>
/// <param name="InnerLoop">The innermost loop dimension of the chosen loop order.</param>
/// <param name="L0Tile">Register-level tile (reported only; it does not enter the cost).</param>
/// <param name="L1Tile">Shared-memory (L1) tile.</param>
/// <param name="L2Tile">L2 tile.</param>
/// <param name="AccessBytes">Bytes moved at each level for the whole GEMM (L1 not divided per SM).</param>
internal sealed record GemmEstimate(
    double TimeSeconds,
    GemmInnerLoop InnerLoop,
    GemmTile L0Tile,
    GemmTile L1Tile,
    GemmTile L2Tile,
    GemmAccessBytes AccessBytes);

/// <summary>A GEMM tile or problem shape: C[M,N] = A[M,K] · B[K,N].</summary>
/// <param name="M">Rows of A and C.</param>
/// <param name="K">The reduction dimension.</param>
/// <param name="N">Columns of B and C.</param>
internal readonly record struct GemmTile(long M, long K, long N);

/// <summary>Bytes moved at each memory level by one GEMM.</summary>
/// <param name="L0Bytes">Register file / systolic array traffic (A0).</param>
/// <param name="L1Bytes">Shared memory (L1) traffic summed over all SMs (A1).</param>
/// <param name="L2Bytes">L2 traffic (A2).</param>
/// <param name="DramBytes">DRAM traffic (A3).</param>
internal readonly record struct GemmAccessBytes(double L0Bytes, double L1Bytes, double L2Bytes, double DramBytes);

/// <summary>
/// The innermost loop of a GEMM loop order; the numeric values are the reference's inner codes.
/// </summary>
internal enum GemmInnerLoop
{
    /// <summary>Inner loop over M (code 0), weight stationary.</summary>
    M = 0,
    /// <summary>Inner loop over K (code 1), output stationary.</summary>
    K = 1,
    /// <summary>Inner loop over N (code 2), activation stationary.</summary>
    N = 2,
}
