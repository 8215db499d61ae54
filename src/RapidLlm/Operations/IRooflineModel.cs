namespace RapidLlm.Operations;

/// <summary>The single-level roofline used for pointwise operators.</summary>
internal interface IRooflineModel
{
    /// <summary>Roofline time of an operator against one memory level.</summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytes">Bytes moved at that level (already truncated to a whole number by the caller).</param>
    /// <param name="memoryLevel">The level, 0 = register file, last = DRAM.</param>
    /// <returns>Seconds (memory time plus latency when memory-bound, else compute time).</returns>
    double Seconds(double flops, double bytes, int memoryLevel);

    /// <summary>
    /// Roofline time against every level at once (MLA composite kernels): the slowest level sets the time, which is
    /// the single-level time taken at each level.
    /// </summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytesPerLevel">Whole bytes moved at each level, level 0 first.</param>
    /// <returns>Seconds.</returns>
    double Seconds(double flops, IReadOnlyList<double> bytesPerLevel)
    {
        ArgumentNullException.ThrowIfNull(bytesPerLevel);
        var slowest = double.NegativeInfinity;
        for (var level = 0; level < bytesPerLevel.Count; level++)
            slowest = Math.Max(slowest, Seconds(flops, bytesPerLevel[level], level));
        return slowest;
    }
}
