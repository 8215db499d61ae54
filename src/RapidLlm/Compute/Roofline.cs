using RapidLlm.Hardware;

namespace RapidLlm.Compute;

/// <summary>
/// The roofline time model over a device's memory hierarchy: each memory level is either bandwidth-bound
/// (bytes / bandwidth + latency) or compute-bound (flops / throughput), and the slowest level sets the time.
/// </summary>
/// <remarks>
/// Level selection follows the reference: <see cref="TimeSeconds"/> takes one byte count per level and evaluates
/// all of them; <see cref="TimeAtLevelSeconds"/> evaluates a single level. The reference evaluates a bare scalar
/// byte count at level 0 (the register file) unless a level is named; <see cref="TimeAtRegisterLevelSeconds"/>
/// makes that choice explicit for the callers that rely on it (collective memcopy and prep terms).
/// </remarks>
internal sealed class Roofline
{
    /// <summary>Creates the roofline of a device.</summary>
    /// <param name="hardware">The device model.</param>
    public Roofline(HardwareModel hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        Hardware = hardware;
    }

    /// <summary>The device whose throughput and memory levels are used.</summary>
    public HardwareModel Hardware { get; }

    /// <summary>
    /// Time over all memory levels: the maximum of the per-level roofline times.
    /// </summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytesPerLevel">Bytes moved at each level, innermost first; level i uses memory level i.</param>
    /// <param name="util">Fraction of the core throughput available (scales the throughput).</param>
    /// <param name="allowZeroLastLevel">
    /// When false, a zero byte count at the last given level is rejected, as in the reference (which exits there);
    /// FlashAttention kernels pass true because they keep everything on chip.
    /// </param>
    /// <returns>The time in seconds.</returns>
    /// <exception cref="ArgumentException">More levels than the device has, none at all, or a zero last level.</exception>
    public double TimeSeconds(double flops, ReadOnlySpan<double> bytesPerLevel, double util = 1.0, bool allowZeroLastLevel = false)
    {
        if (bytesPerLevel.Length == 0 || bytesPerLevel.Length > Hardware.MemoryLevels.Count)
        {
            throw new ArgumentException(
                $"Expected between 1 and {Hardware.MemoryLevels.Count} byte counts, got {bytesPerLevel.Length}.",
                nameof(bytesPerLevel));
        }

        if (!allowZeroLastLevel && !(bytesPerLevel[^1] > 0))
        {
            throw new ArgumentException(
                "The number of accesses to the last level of the memory hierarchy cannot be zero.", nameof(bytesPerLevel));
        }

        var throughput = Hardware.Core.ThroughputFlopsPerSecond * util;
        var slowest = double.NegativeInfinity;
        for (var level = 0; level < bytesPerLevel.Length; level++)
        {
            var memory = Hardware.MemoryLevels[level];
            slowest = Math.Max(slowest, LevelTimeSeconds(
                flops, bytesPerLevel[level], throughput, memory.ThroughputBytesPerSecond, memory.LatencySeconds));
        }

        return slowest;
    }

    /// <summary>Time of one memory level only.</summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytes">Bytes moved at that level; truncated toward zero, as the reference converts a scalar to an integer.</param>
    /// <param name="level">Memory level index (0 = register file, last = DRAM).</param>
    /// <param name="util">Fraction of the core throughput available.</param>
    /// <returns>The time in seconds.</returns>
    public double TimeAtLevelSeconds(double flops, double bytes, int level, double util = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, Hardware.MemoryLevels.Count);
        var memory = Hardware.MemoryLevels[level];
        return LevelTimeSeconds(
            flops,
            Math.Truncate(bytes),
            Hardware.Core.ThroughputFlopsPerSecond * util,
            memory.ThroughputBytesPerSecond,
            memory.LatencySeconds);
    }

    /// <summary>
    /// Time at level 0 (the register file): what the reference computes for a scalar byte count without a level.
    /// </summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytes">Bytes moved (truncated toward zero).</param>
    /// <param name="util">Fraction of the core throughput available.</param>
    /// <returns>The time in seconds.</returns>
    public double TimeAtRegisterLevelSeconds(double flops, double bytes, double util = 1.0) =>
        TimeAtLevelSeconds(flops, bytes, 0, util);

    /// <summary>Time at the outermost level (DRAM), the level pointwise operators use.</summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytes">Bytes moved (truncated toward zero).</param>
    /// <param name="util">Fraction of the core throughput available.</param>
    /// <returns>The time in seconds.</returns>
    public double TimeAtDramSeconds(double flops, double bytes, double util = 1.0) =>
        TimeAtLevelSeconds(flops, bytes, Hardware.DramLevel, util);

    /// <summary>
    /// The roofline of one level: memory-bound when the arithmetic intensity is below the ridge point
    /// (throughput / bandwidth), else compute-bound. Zero bandwidth or throughput gives +infinity where used.
    /// </summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytes">Bytes moved at the level.</param>
    /// <param name="throughputFlopsPerSecond">Usable core throughput (already scaled by utilisation).</param>
    /// <param name="bandwidthBytesPerSecond">Level bandwidth.</param>
    /// <param name="latencySeconds">Level latency, added when memory-bound.</param>
    /// <returns>The time in seconds.</returns>
    public static double LevelTimeSeconds(
        double flops, double bytes, double throughputFlopsPerSecond, double bandwidthBytesPerSecond, double latencySeconds)
    {
        var ridgePoint = bandwidthBytesPerSecond == 0 ? double.PositiveInfinity : throughputFlopsPerSecond / bandwidthBytesPerSecond;
        var intensity = bytes == 0 ? double.PositiveInfinity : flops / bytes;
        if (intensity < ridgePoint)
        {
            var transfer = bandwidthBytesPerSecond == 0 || bytes == 0 ? double.PositiveInfinity : bytes / bandwidthBytesPerSecond;
            return transfer + latencySeconds;
        }

        return throughputFlopsPerSecond == 0 ? double.PositiveInfinity : flops / throughputFlopsPerSecond;
    }
}
