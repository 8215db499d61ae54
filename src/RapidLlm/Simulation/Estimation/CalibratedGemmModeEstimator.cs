using RapidLlm.Common;
using RapidLlm.Compute;
using RapidLlm.Configuration;
using RapidLlm.Network;
using RapidLlm.Results;

namespace RapidLlm.Simulation;

/// <summary>
/// GEMM mode under the calibrated model, as a framework runs it: one eagerly launched kernel (host dispatch, kernel
/// gap, then the tiled kernel) with no fused epilogue; the backward pass issues the activation-gradient and
/// weight-gradient kernels back to back (their dispatch hides behind the forward kernel); tensor- and data-parallel
/// reductions use the calibrated collectives, and the data-parallel step ends with a fused AdamW update.
/// </summary>
internal sealed class CalibratedGemmModeEstimator : IGemmModeEstimator
{
    private readonly CalibratedGemmModel _gemm;
    private readonly CalibratedRoofline _roofline;
    private readonly CalibratedCollectives _collectives;
    private readonly CalibrationConfig _calibration;
    private readonly PrecisionConfig _precision;

    /// <summary>Creates the estimator for one device type.</summary>
    /// <param name="gemm">The calibrated GEMM kernel model.</param>
    /// <param name="roofline">The calibrated roofline (optimizer bandwidth).</param>
    /// <param name="collectives">The calibrated collectives.</param>
    /// <param name="calibration">The calibrated parameters (kernel costs).</param>
    /// <param name="precision">Precision of tensors, parameters, gradients and optimizer states.</param>
    public CalibratedGemmModeEstimator(
        CalibratedGemmModel gemm, CalibratedRoofline roofline, CalibratedCollectives collectives, CalibrationConfig calibration, PrecisionConfig precision)
    {
        _gemm = gemm ?? throw new ArgumentNullException(nameof(gemm));
        _roofline = roofline ?? throw new ArgumentNullException(nameof(roofline));
        _collectives = collectives ?? throw new ArgumentNullException(nameof(collectives));
        _calibration = calibration ?? throw new ArgumentNullException(nameof(calibration));
        _precision = precision ?? throw new ArgumentNullException(nameof(precision));
    }

    /// <inheritdoc />
    public GemmModeEstimate Estimate(GemmConfig config, int tp, int dp, Link tpLink, Link dpLink)
    {
        ArgumentNullException.ThrowIfNull(config);
        long m = config.M, k = config.K, n = config.N;
        var act = _precision.ActivationsBytes;
        var rowSharded = config.ShardAxis == GemmShardAxis.Row;
        var gap = _calibration.Kernels.KernelGapSeconds;
        double Kernel(long a, long b, long c) => gap + _gemm.KernelSeconds(Math.Max(1, a), Math.Max(1, b), Math.Max(1, c));

        var launch = _calibration.Kernels.EagerLaunchSeconds;
        double forwardCompute, forwardReduction = 0;
        if (tp <= 1)
        {
            forwardCompute = launch + Kernel(m, k, n);
        }
        else if (rowSharded)
        {
            forwardCompute = launch + Kernel(m, k / tp, n);
            forwardReduction = _collectives.TimeSeconds(CollectiveKind.AllReduce, act * m * n, tp, tpLink);
        }
        else
        {
            forwardCompute = launch + Kernel(m, k, n / tp);
            forwardReduction = _collectives.TimeSeconds(CollectiveKind.AllGather, act * m * n / tp, tp, tpLink);
        }

        double backwardCompute = 0, backwardReduction = 0, dpReduction = 0;
        if (config.Backward)
        {
            if (tp <= 1)
            {
                backwardCompute = Kernel(m, n, k) + Kernel(k, m, n);
            }
            else if (rowSharded)
            {
                backwardCompute = Kernel(k / tp, m, n) + Kernel(m, n, k / tp);
                backwardReduction = _collectives.TimeSeconds(CollectiveKind.AllGather, act * m * k / tp, tp, tpLink);
            }
            else
            {
                backwardCompute = Kernel(k, m, n / tp) + Kernel(m, n / tp, k);
                backwardReduction = _collectives.TimeSeconds(CollectiveKind.AllReduce, act * m * k, tp, tpLink);
            }

            if (dp > 1)
            {
                long parameters = tp > 1 ? (rowSharded ? k / tp * n : k * (n / tp)) : k * n;
                dpReduction = _collectives.TimeSeconds(CollectiveKind.AllReduce, act * parameters, dp, dpLink)
                    + gap + parameters * OptimizerBytesPerParameter() / _roofline.StreamBytesPerSecond;
            }
        }

        return new GemmModeEstimate(m, k, n, forwardCompute, forwardReduction, backwardCompute, backwardReduction, dpReduction);
    }

    // Fused AdamW: read weights, gradients, both moments and the master copy; write weights, moments and master.
    private double OptimizerBytesPerParameter()
    {
        var p = _precision;
        return 2 * p.ParametersBytes + p.GradientsBytes + 4 * p.OptimizerStatesBytes + 2 * p.MasterParametersBytes;
    }
}
