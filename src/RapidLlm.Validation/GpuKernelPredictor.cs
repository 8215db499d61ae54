using System.Globalization;
using RapidLlm.Compute;
using RapidLlm.Configuration;
using RapidLlm.Hardware;

namespace RapidLlm.Validation;

/// <summary>
/// Predicts kernel microbenchmarks (one operator launched eagerly and timed alone) with the calibrated model's
/// kernel formulas, so their parameters can be fitted to them: FlashAttention forward and forward + backward, the
/// elementwise and norm kernels with the byte counts the layer model charges them, the copy and GEMM ceilings.
/// </summary>
public static class GpuKernelPredictor
{
    /// <summary>The prediction, or null when the row is not one this predictor knows.</summary>
    /// <param name="kernel">The measurement.</param>
    /// <param name="hardware">A hardware description with the calibrated model.</param>
    /// <exception cref="ArgumentException">The hardware does not select the calibrated model.</exception>
    public static double? PredictSeconds(GpuKernelMeasurement kernel, HardwareConfig hardware)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(hardware);
        var calibration = hardware.PerformanceModel.Calibration
            ?? throw new ArgumentException("kernel predictions need a hardware file with performance_model: calibrated", nameof(hardware));
        var device = HardwareDerivation.Derive(hardware);
        var bytesPerElement = hardware.Software.Precision.ActivationsBytes;
        var launch = calibration.Kernels.EagerLaunchSeconds;
        var gap = calibration.Kernels.KernelGapSeconds;
        var roofline = new CalibratedRoofline(device, calibration);
        var gemm = new CalibratedGemmModel(device, calibration, bytesPerElement);
        var name = kernel.Name;
        double Field(string key) => kernel.Shape.TryGetValue(key, out var v) ? v : throw new FormatException($"{name}: no field {key}");

        switch (kernel.Section)
        {
            case "attention":
            {
                var attention = new CalibratedAttentionModel(gemm.PeakFlopsPerSecond, calibration.Attention);
                double b = Field("B"), s = Field("S"), heads = Field("heads");
                var headDim = (long)Field("head_dim");
                var pairs = s * (s + 1) / 2;
                var forward = attention.ForwardSeconds(b * heads, s, pairs, headDim);
                if (name.Contains("fwdbwd", StringComparison.Ordinal))
                    return launch + 3 * gap + forward + attention.BackwardSeconds(b * heads, s, pairs, headDim);
                return launch + gap + forward;
            }
            case "elementwise":
            {
                var dims = Dimensions(name);
                var elements = dims.Aggregate(1.0, (a, d) => a * d);
                double? accesses = name switch
                {
                    _ when name.StartsWith("rmsnorm", StringComparison.Ordinal) || name.StartsWith("layernorm", StringComparison.Ordinal) => 2,
                    _ when name.StartsWith("gelu", StringComparison.Ordinal) => 2,
                    _ when name.StartsWith("swiglu", StringComparison.Ordinal) => 3,
                    _ when name.StartsWith("softmax", StringComparison.Ordinal) => 4,
                    _ => null,
                };
                return accesses is { } a ? launch + gap + roofline.ElementwiseSeconds(0, a * elements * bytesPerElement) : null;
            }
            case "ceiling" when name.StartsWith("d2d_copy", StringComparison.Ordinal):
                return launch + gap + 2.0 * 2 * (1L << 30) / roofline.StreamBytesPerSecond;
            case "ceiling" when name.StartsWith("gemm_", StringComparison.Ordinal):
                var n = (long)Dimensions(name)[0];
                return launch + gap + gemm.KernelSeconds(n, n, n);
            default:
                return null;
        }
    }

    // "rmsnorm_16384x4096" → [16384, 4096]; "gemm_8192^3" → [8192].
    private static double[] Dimensions(string name)
    {
        var tail = name[(name.IndexOf('_', StringComparison.Ordinal) + 1)..];
        var end = tail.IndexOf('^', StringComparison.Ordinal);
        if (end >= 0) tail = tail[..end];
        return tail.Split('x').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
    }
}
