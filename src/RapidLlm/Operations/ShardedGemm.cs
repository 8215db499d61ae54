namespace RapidLlm.Operations;

/// <summary>The per-rank slice of a GEMM under one parallelism mode.</summary>
/// <param name="Full">The unsharded GEMM.</param>
/// <param name="Batch">Per-rank batch.</param>
/// <param name="M">Per-rank rows (sequence-sharded under CP).</param>
/// <param name="K">Per-rank reduction dimension (row-parallel ops).</param>
/// <param name="N">Per-rank columns (column-parallel ops).</param>
/// <param name="BatchScale">Fraction of the attention heads a rank computes (1/tp under tensor modes).</param>
internal readonly record struct ShardedGemm(GemmShape Full, long Batch, long M, long K, long N, double BatchScale)
{
    /// <summary>Shards a GEMM the way the reference's shard descriptor does.</summary>
    /// <param name="g">The GEMM.</param>
    /// <param name="role">What it computes.</param>
    /// <param name="p">Parallelism.</param>
    /// <returns>The per-rank slice.</returns>
    public static ShardedGemm Of(GemmShape g, GemmRole role, ParallelismDegrees p)
    {
        long tp = Math.Max(1, p.Tp), cp = Math.Max(1, p.Cp);
        long batch = g.Batch, m = g.M, k = g.K, n = g.N;
        var scale = 1.0;
        var attention = role is GemmRole.AttentionScore or GemmRole.AttentionOutput;
        switch (p.Mode)
        {
            case ParallelismMode.Tensor or ParallelismMode.TensorSequence:
                if (attention) { batch = CeilDiv(batch, tp); scale = 1.0 / tp; }
                else if (role == GemmRole.MlaDownProjection) { }
                else if (role is GemmRole.Qkv or GemmRole.Ffn1) n = CeilDiv(n, tp);
                else if (role is GemmRole.OutputProjection or GemmRole.Ffn2) k = CeilDiv(k, tp);
                else n = CeilDiv(n, tp * cp);
                break;
            case ParallelismMode.Context:
                m = CeilDiv(m, cp);
                if (role == GemmRole.AttentionScore) n = CeilDiv(n, cp);
                else if (role == GemmRole.AttentionOutput) k = CeilDiv(k, cp);
                break;
            case ParallelismMode.TensorContextHybrid:
                m = CeilDiv(m, cp);
                if (role == GemmRole.AttentionScore) { batch = CeilDiv(batch, tp); scale = 1.0 / tp; n = CeilDiv(n, cp); }
                else if (role == GemmRole.AttentionOutput) { batch = CeilDiv(batch, tp); scale = 1.0 / tp; k = CeilDiv(k, cp); }
                else if (role == GemmRole.MlaDownProjection) { }
                else if (role is GemmRole.Qkv or GemmRole.Ffn1 or GemmRole.LinearSoftmax) n = CeilDiv(n, tp);
                else k = CeilDiv(k, tp);
                break;
        }
        return new(g, batch, m, k, n, scale);
    }

    /// <summary>Integer ceiling division for positive operands.</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor.</param>
    /// <returns>⌈a/b⌉.</returns>
    public static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
