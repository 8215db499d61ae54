using RapidLlm.Configuration;
using RapidLlm.Hardware;

namespace RapidLlm.Compute;

/// <summary>
/// The calibrated model's roofline for elementwise and normalisation kernels: HBM traffic at the rate framework
/// kernels reach (streaming bandwidth × <see cref="CalibratedMemoryConfig.ElementwiseEfficiency"/>), FLOPs at the
/// achievable tensor rate, the slower of the two. On-chip levels keep the file's rates; no per-access latency is
/// added (the per-kernel fixed cost covers it).
/// </summary>
internal sealed class CalibratedRoofline
{
    private readonly HardwareModel _hardware;

    /// <summary>Creates the roofline of a device.</summary>
    /// <param name="hardware">The device.</param>
    /// <param name="calibration">The calibrated parameters.</param>
    public CalibratedRoofline(HardwareModel hardware, CalibrationConfig calibration)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(calibration);
        _hardware = hardware;
        FlopsPerSecond = hardware.Core.ThroughputFlopsPerSecond * calibration.Compute.TensorEfficiency;
        StreamBytesPerSecond = hardware.Dram.ThroughputBytesPerSecond * calibration.Memory.HbmEfficiency;
        ElementwiseBytesPerSecond = StreamBytesPerSecond * calibration.Memory.ElementwiseEfficiency;
    }

    /// <summary>Achievable FLOP/s.</summary>
    public double FlopsPerSecond { get; }

    /// <summary>Achievable streaming HBM bandwidth (copies, the optimizer, KV-cache reads).</summary>
    public double StreamBytesPerSecond { get; }

    /// <summary>HBM bandwidth elementwise kernels reach.</summary>
    public double ElementwiseBytesPerSecond { get; }

    /// <summary>An elementwise kernel's time: HBM bytes at the elementwise rate or FLOPs, whichever is slower.</summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytes">HBM bytes.</param>
    /// <returns>Seconds.</returns>
    public double ElementwiseSeconds(double flops, double bytes) =>
        Math.Max(flops / FlopsPerSecond, Math.Max(0, bytes) / ElementwiseBytesPerSecond);

    /// <summary>A streaming kernel's time (bytes at the streaming rate or FLOPs, whichever is slower).</summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytes">HBM bytes.</param>
    /// <returns>Seconds.</returns>
    public double StreamSeconds(double flops, double bytes) =>
        Math.Max(flops / FlopsPerSecond, Math.Max(0, bytes) / StreamBytesPerSecond);

    /// <summary>Time against one memory level: the elementwise rate at DRAM, the file's rate on chip.</summary>
    /// <param name="flops">Floating-point operations.</param>
    /// <param name="bytes">Bytes moved at that level.</param>
    /// <param name="level">The level (0 = register file, last = DRAM).</param>
    /// <returns>Seconds.</returns>
    public double LevelSeconds(double flops, double bytes, int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, _hardware.MemoryLevels.Count);
        if (level == _hardware.DramLevel) return ElementwiseSeconds(flops, bytes);
        var bandwidth = _hardware.MemoryLevels[level].ThroughputBytesPerSecond;
        return Math.Max(flops / FlopsPerSecond, bandwidth > 0 ? Math.Max(0, bytes) / bandwidth : 0);
    }
}
