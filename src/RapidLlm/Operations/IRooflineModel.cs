namespace RapidLlm.Operations;

/// <summary>The single-level roofline used for pointwise operators.</summary>
public interface IRooflineModel
{
    /// <summary>Roofline time of an operator against one memory level.</summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytes">Bytes moved at that level (already truncated to a whole number by the caller).</param>
    /// <param name="memoryLevel">The level, 0 = register file, last = DRAM.</param>
    /// <returns>Seconds (memory time plus latency when memory-bound, else compute time).</returns>
    double Seconds(double flops, double bytes, int memoryLevel);
}
