namespace RapidLlm.Operations;

/// <summary>One direction of a sharded GEMM: its compute, its collective and what it reports.</summary>
/// <param name="ComputeSeconds">Compute time.</param>
/// <param name="CommSeconds">Collective time (0 when none).</param>
/// <param name="CommBytes">Collective bytes as computed (not yet rounded).</param>
/// <param name="Flops">Unsharded FLOPs (forward only).</param>
/// <param name="Memory">Per-level traffic (forward only).</param>
/// <param name="Call">The timed collective, if any.</param>
internal readonly record struct GemmPass(
    double ComputeSeconds,
    double CommSeconds,
    double CommBytes,
    double Flops,
    MemoryAccessBytes Memory,
    CollectiveCall? Call)
{
    /// <summary>Reports the pass as an operator direction; the reference truncates the byte count.</summary>
    public DirectionCost ToDirection() =>
        new(ComputeSeconds, CommSeconds, (long)CommBytes, Flops, Memory, LayerCostContext.Calls(Call));
}
