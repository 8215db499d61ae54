namespace RapidLlm.Operations;

/// <summary>A (batched) GEMM: <see cref="Batch"/> independent (M×K)·(K×N) products.</summary>
/// <param name="Batch">Independent products (1 for the projection GEMMs, B·kv for attention).</param>
/// <param name="M">Output rows.</param>
/// <param name="K">Reduction dimension.</param>
/// <param name="N">Output columns.</param>
internal readonly record struct GemmShape(long Batch, long M, long K, long N)
{
    /// <summary>A single (M×K)·(K×N) product.</summary>
    /// <param name="m">Output rows.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Output columns.</param>
    /// <returns>The shape.</returns>
    public static GemmShape Single(long m, long k, long n) => new(1, m, k, n);

    /// <summary>Unsharded FLOPs 2·b·m·k·n.</summary>
    public double Flops => 2.0 * Batch * M * K * N;
}
