using RapidLlm.Configuration;
using RapidLlm.Hardware;

namespace RapidLlm.Compute;

/// <summary>
/// The calibrated model's GEMM kernel, C[M,N] = A[M,K]·B[K,N], as a tensor-core GPU runs it: the output is cut into
/// tiles of <see cref="CalibratedComputeConfig.TileM"/> × <see cref="CalibratedComputeConfig.TileN"/> (either
/// orientation), optionally split along K, and the work units run in waves over the SMs; a partial last wave leaves
/// SMs idle (wave quantisation), and each unit pays a fixed prologue/epilogue expressed as extra reduction length.
/// The kernel also streams its operands and result through HBM at the achievable bandwidth; the slower of the two
/// bounds is its time. Small-M (decode-shaped) GEMMs therefore come out bandwidth-bound.
/// </summary>
/// <remarks>
/// Closed form and allocation-free; immutable and safe to share between threads. Per-kernel fixed costs (launch,
/// gap) are not included: the caller adds them for the launch mode it models.
/// </remarks>
internal sealed class CalibratedGemmModel
{
    private const int MaxSplitK = 16;

    private readonly int _sms;
    private readonly int _tileM;
    private readonly int _tileN;
    private readonly int _minSplitK;
    private readonly double _tileOverheadK;

    /// <summary>Creates the GEMM model of a device.</summary>
    /// <param name="hardware">The device (its tensor rate, SM count and DRAM bandwidth).</param>
    /// <param name="calibration">The calibrated parameters.</param>
    /// <param name="precisionBytes">Bytes per operand element; one byte selects the FP8 rate.</param>
    public CalibratedGemmModel(HardwareModel hardware, CalibrationConfig calibration, double precisionBytes)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(precisionBytes);
        var compute = calibration.Compute;
        PrecisionBytes = precisionBytes;
        PeakFlopsPerSecond = hardware.Core.ThroughputFlopsPerSecond * (precisionBytes <= 1 ? compute.Fp8Speedup : 1.0);
        AchievableFlopsPerSecond = PeakFlopsPerSecond * compute.TensorEfficiency;
        StreamBytesPerSecond = hardware.Dram.ThroughputBytesPerSecond * calibration.Memory.HbmEfficiency;
        _sms = Math.Max(1, hardware.Core.NumBundles);
        _tileM = compute.TileM;
        _tileN = compute.TileN;
        _minSplitK = compute.MinSplitK;
        _tileOverheadK = compute.TileOverheadK;
    }

    /// <summary>Bytes per operand element.</summary>
    public double PrecisionBytes { get; }

    /// <summary>The datasheet dense tensor rate at this precision (the bound no GEMM beats).</summary>
    public double PeakFlopsPerSecond { get; }

    /// <summary>The tensor rate large, well-shaped GEMMs reach.</summary>
    public double AchievableFlopsPerSecond { get; }

    /// <summary>The achievable streaming HBM bandwidth.</summary>
    public double StreamBytesPerSecond { get; }

    /// <summary>FLOPs of the product (2·M·N·K).</summary>
    /// <param name="m">Rows of the output.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of the output.</param>
    public static double Flops(long m, long k, long n) => 2.0 * m * n * k;

    /// <summary>HBM bytes of the product: both operands read once, the result written once.</summary>
    /// <param name="m">Rows of the output.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of the output.</param>
    public double DramBytes(long m, long k, long n) => PrecisionBytes * ((double)m * k + (double)k * n + (double)m * n);

    /// <summary>GPU time of one GEMM kernel: the best tiling and split-K, waves included; no fixed per-kernel cost.</summary>
    /// <param name="m">Rows of the output.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of the output.</param>
    /// <returns>Seconds.</returns>
    public double KernelSeconds(long m, long k, long n)
    {
        Validate(m, k, n);
        var memory = DramBytes(m, k, n) / StreamBytesPerSecond;
        var compute = Math.Min(ComputeSeconds(m, k, n, _tileM, _tileN), ComputeSeconds(m, k, n, _tileN, _tileM));
        return Math.Max(compute, memory);
    }

    /// <summary>
    /// Time of one product of a batched kernel (attention heads): the batch keeps every SM busy, so there is no wave
    /// quantisation and no per-product fixed cost; the tile overhead applies along K.
    /// </summary>
    /// <param name="m">Rows of the output.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of the output.</param>
    /// <returns>Seconds.</returns>
    public double BatchedProductSeconds(long m, long k, long n)
    {
        Validate(m, k, n);
        var compute = Flops(m, k, n) / (AchievableFlopsPerSecond * ReductionEfficiency(k));
        return Math.Max(compute, DramBytes(m, k, n) / StreamBytesPerSecond);
    }

    /// <summary>The fraction of the tensor rate a work unit with reduction length <paramref name="k"/> keeps.</summary>
    /// <param name="k">Reduction length of one unit.</param>
    public double ReductionEfficiency(double k) => k / (k + _tileOverheadK);

    // The fastest split-K for one tile orientation: more slices fill the SMs better but shorten every slice.
    private double ComputeSeconds(long m, long k, long n, int tileM, int tileN)
    {
        var tiles = CeilDiv(m, tileM) * CeilDiv(n, tileN);
        var flops = Flops(m, k, n);
        var best = double.PositiveInfinity;
        for (var split = 1; split <= MaxSplitK; split++)
        {
            if (split > 1 && (double)k / split < _minSplitK) break;
            var units = tiles * split;
            var waves = CeilDiv(units, _sms);
            var waveEfficiency = (double)units / (waves * _sms);
            var seconds = flops / (AchievableFlopsPerSecond * waveEfficiency * ReductionEfficiency((double)k / split));
            best = Math.Min(best, seconds);
        }

        return best;
    }

    private static void Validate(long m, long k, long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
