using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>The cost of one operator in one direction (forward or backward).</summary>
/// <param name="ComputeTimeSeconds">Compute time (GEMMs, pointwise kernels, overheads).</param>
/// <param name="CommTimeSeconds">Time of the operator's collectives.</param>
/// <param name="CommBytes">Communicated bytes as the reference reports them (a whole number).</param>
/// <param name="Flops">Unsharded FLOPs (2·b·m·k·n for GEMMs; 0 where the reference does not count them).</param>
/// <param name="MemoryAccesses">Per-level traffic, when reported.</param>
/// <param name="Collectives">The collectives that were timed (empty when none).</param>
internal sealed record DirectionCost(
    double ComputeTimeSeconds,
    double CommTimeSeconds,
    long CommBytes,
    double Flops,
    MemoryAccessBytes MemoryAccesses,
    EquatableArray<CollectiveCall> Collectives)
{
    /// <summary>A pure compute cost with nothing else reported.</summary>
    /// <param name="computeTimeSeconds">The compute time.</param>
    /// <returns>The cost.</returns>
    public static DirectionCost ComputeOnly(double computeTimeSeconds) =>
        new(computeTimeSeconds, 0.0, 0, 0.0, MemoryAccessBytes.None, EquatableArray<CollectiveCall>.Empty);

    /// <summary>Compute plus communication time.</summary>
    public double TotalTimeSeconds => ComputeTimeSeconds + CommTimeSeconds;
}
