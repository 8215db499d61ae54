namespace RapidLlm.Compute;

/// <summary>
/// Halving chains of a GEMM shape and the maximal tiles on them that fit a capacity: the reference's
/// "GEMM-based" tile candidates for one memory level.
/// </summary>
/// <remarks>
/// A tile is a point (i, j, l) of chain indices, value (M &gt;&gt; i, K &gt;&gt; j, N &gt;&gt; l). It is valid when
/// <c>elementBytes·(mk + kn + mn) ≤ capacity</c>, and maximal when doubling any one coordinate (stepping to the
/// previous chain element) makes it invalid. Validity only shrinks as coordinates grow, so this is the same set the
/// reference gets by pairwise dominance pruning.
/// </remarks>
internal static class MaximalTileSet
{
    /// <summary>Length of the halving chain v, v/2, …, 1 (the bit length of v).</summary>
    public static int ChainLength(long value) => 64 - (int)long.LeadingZeroCount(value);

    /// <summary>
    /// Writes the maximal tiles inside the box whose chain indices start at (i0, j0, l0) into
    /// <paramref name="destination"/>, sorted by ascending (m, k, n); returns how many were written.
    /// </summary>
    /// <remarks>At most one tile exists per (m, k) pair, so the destination needs lenM·lenK slots.</remarks>
    public static int Collect(
        long m, long k, long n,
        int i0, int j0, int l0,
        double elementBytes, double capacityBytes,
        Span<GemmTile> destination)
    {
        var lenM = ChainLength(m);
        var lenK = ChainLength(k);
        var lenN = ChainLength(n);
        var count = 0;
        // Ascending m (deepest chain index first), then ascending k: the output comes out sorted.
        for (var i = lenM - 1; i >= i0; i--)
        {
            var mv = m >> i;
            for (var j = lenK - 1; j >= j0; j--)
            {
                var kv = k >> j;
                var l = l0;
                while (l < lenN && !Fits(mv, kv, n >> l, elementBytes, capacityBytes))
                {
                    l++;
                }

                if (l == lenN)
                {
                    continue;
                }

                var nv = n >> l;
                if (i > i0 && Fits(m >> (i - 1), kv, nv, elementBytes, capacityBytes))
                {
                    continue;
                }

                if (j > j0 && Fits(mv, k >> (j - 1), nv, elementBytes, capacityBytes))
                {
                    continue;
                }

                destination[count++] = new GemmTile(mv, kv, nv);
            }
        }

        return count;
    }

    /// <summary>The reference's capacity test for the A, B and C tiles together.</summary>
    public static bool Fits(long m, long k, long n, double elementBytes, double capacityBytes) =>
        elementBytes * (m * k + k * n + m * n) <= capacityBytes;
}
