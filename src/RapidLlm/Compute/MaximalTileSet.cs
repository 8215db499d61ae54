namespace RapidLlm.Compute;

/// <summary>
/// Halving chains of a GEMM shape and the maximal tiles on them that fit a capacity: the reference's
/// "GEMM-based" tile candidates for one memory level.
/// </summary>
/// <remarks>
/// A tile is a point (i, j, l) of chain indices, value (M &gt;&gt; i, K &gt;&gt; j, N &gt;&gt; l). It is valid when
/// <c>elementBytes·(mk + kn + mn) ≤ capacity</c>, and maximal within a box when doubling any one coordinate
/// (stepping to the previous chain element, still inside the box) makes it invalid. Validity only shrinks as
/// coordinates grow, so this is the same set the reference gets by pairwise dominance pruning.
/// </remarks>
internal static class MaximalTileSet
{
    /// <summary>Length of the halving chain v, v/2, …, 1 (the bit length of v).</summary>
    public static int ChainLength(long value) => 64 - (int)long.LeadingZeroCount(value);

    /// <summary>
    /// For every (i, j), the smallest N-chain index l (largest n) whose tile fits, or the N chain length if none does;
    /// stored at <c>i·lenK + j</c>. Validity is monotone, so the tile (i, j, l) fits exactly when l ≥ this value.
    /// </summary>
    public static void FirstFittingN(long m, long k, long n, double elementBytes, double capacityBytes, Span<byte> firstFit)
    {
        var lenM = ChainLength(m);
        var lenK = ChainLength(k);
        var lenN = ChainLength(n);
        for (var i = 0; i < lenM; i++)
        {
            var mv = m >> i;
            // The largest fitting n only shrinks as k grows, so one pointer walks the N chain once per m.
            var l = 0;
            for (var j = lenK - 1; j >= 0; j--)
            {
                var kv = k >> j;
                while (l < lenN && !Fits(mv, kv, n >> l, elementBytes, capacityBytes))
                {
                    l++;
                }

                firstFit[i * lenK + j] = (byte)l;
            }
        }
    }

    /// <summary>
    /// Writes the maximal tiles inside the box whose chain indices start at (i0, j0, l0) into
    /// <paramref name="destination"/>, sorted by ascending (m, k, n); returns how many were written.
    /// </summary>
    /// <remarks>At most one tile exists per (m, k) pair, so the destination needs lenM·lenK slots.</remarks>
    public static int Collect(
        long m, long k, long n, int i0, int j0, int l0, ReadOnlySpan<byte> firstFit, Span<GemmTile> destination)
    {
        var lenM = ChainLength(m);
        var lenK = ChainLength(k);
        var lenN = ChainLength(n);
        var count = 0;
        // Ascending m (deepest chain index first), then ascending k: the output comes out sorted.
        for (var i = lenM - 1; i >= i0; i--)
        {
            var row = i * lenK;
            for (var j = lenK - 1; j >= j0; j--)
            {
                int first = firstFit[row + j];
                if (first == lenN)
                {
                    break; // nothing fits for this k, nor for any larger k
                }

                var l = Math.Max(first, l0);
                var largerMFits = i > i0 && firstFit[row - lenK + j] <= l;
                var largerKFits = j > j0 && firstFit[row + j - 1] <= l;
                if (!largerMFits && !largerKFits)
                {
                    destination[count++] = new GemmTile(m >> i, k >> j, n >> l);
                }
            }
        }

        return count;
    }

    /// <summary>The reference's capacity test for the A, B and C tiles together.</summary>
    public static bool Fits(long m, long k, long n, double elementBytes, double capacityBytes) =>
        elementBytes * (m * k + k * n + m * n) <= capacityBytes;
}
