using RapidLlm.Common;
using RapidLlm.Compute;
using RapidLlm.Configuration;
using RapidLlm.Network;
using RapidLlm.Results;

namespace RapidLlm.Simulation;

/// <summary>
/// GEMM mode: one matrix multiply, optionally sharded over tensor-parallel ranks by rows or columns of the weight,
/// with its backward pass and a data-parallel gradient reduction.
/// </summary>
internal sealed class GemmModeEstimator : IGemmModeEstimator
{
    // Pointwise epilogue per output element: bias, nonlinearity and a fused multiply-add.
    private const double EpilogueFlopsPerElement = 5;
    // Epilogue memory traffic per element: three ops with three operands and two with two.
    private const double EpilogueAccessesPerElement = 3 * 3 + 2 * 2;
    private const int EpilogueKernels = 5;
    private const double OptimizerFlopsPerParameter = 14.0;

    private readonly TiledGemmModel _gemm;
    private readonly Roofline _roofline;
    private readonly AnalyticalCollectives _collectives;
    private readonly PrecisionConfig _precision;
    private readonly double _overheadSeconds;

    /// <summary>Creates the estimator for one device type.</summary>
    /// <param name="gemm">The tiled GEMM model of the device.</param>
    /// <param name="collectives">The analytical collectives of the device.</param>
    /// <param name="precision">Precision of tensors, parameters, gradients and optimizer states.</param>
    public GemmModeEstimator(TiledGemmModel gemm, AnalyticalCollectives collectives, PrecisionConfig precision)
    {
        _gemm = gemm;
        _roofline = new Roofline(gemm.Hardware);
        _collectives = collectives;
        _precision = precision;
        _overheadSeconds = gemm.KernelOverheadSeconds;
    }

    /// <summary>Estimates the GEMM described by <paramref name="config"/>.</summary>
    /// <param name="config">Shape, backward flag and shard axis.</param>
    /// <param name="tp">Tensor-parallel degree.</param>
    /// <param name="dp">Data-parallel degree.</param>
    /// <param name="tpLink">Link used by tensor-parallel traffic.</param>
    /// <param name="dpLink">Link used by data-parallel traffic.</param>
    public GemmModeEstimate Estimate(GemmConfig config, int tp, int dp, Link tpLink, Link dpLink)
    {
        ArgumentNullException.ThrowIfNull(config);
        long m = config.M, k = config.K, n = config.N;
        var act = _precision.ActivationsBytes;
        var rowSharded = config.ShardAxis == GemmShardAxis.Row;

        double forwardCompute, forwardReduction = 0;
        if (tp <= 1)
        {
            forwardCompute = _gemm.TimeSeconds(m, k, n) + EpilogueSeconds(m, n);
        }
        else if (rowSharded)
        {
            forwardCompute = _gemm.TimeSeconds(m, k / tp, n) + EpilogueSeconds(m, n);
            forwardReduction = _collectives.TimeSeconds(CollectiveKind.AllReduce, Math.Ceiling(act * m * n), tp, tpLink);
        }
        else
        {
            forwardCompute = _gemm.TimeSeconds(m, k, n / tp) + EpilogueSeconds(m, n);
            var shard = Math.Ceiling(Math.Ceiling(act * m * n) / tp);
            forwardReduction = _collectives.TimeSeconds(CollectiveKind.AllGather, shard, tp, tpLink);
        }

        double backwardCompute = 0, backwardReduction = 0, dpReduction = 0;
        if (config.Backward)
        {
            if (tp <= 1)
            {
                backwardCompute = _gemm.TimeSeconds(m, n, k) + _gemm.TimeSeconds(k, m, n);
            }
            else if (rowSharded)
            {
                backwardCompute = _gemm.TimeSeconds(k / tp, m, n) + _gemm.TimeSeconds(m, n, k / tp);
                var shard = Math.Ceiling(Math.Ceiling(act * m * k) / tp);
                backwardReduction = _collectives.TimeSeconds(CollectiveKind.AllGather, shard, tp, tpLink);
            }
            else
            {
                backwardCompute = _gemm.TimeSeconds(k, m, n / tp) + _gemm.TimeSeconds(m, n / tp, k);
                backwardReduction = _collectives.TimeSeconds(CollectiveKind.AllReduce, Math.Ceiling(act * m * k), tp, tpLink);
            }

            if (dp > 1)
            {
                long parameters = tp > 1 ? (rowSharded ? k / tp * n : k * (n / tp)) : k * n;
                dpReduction = _collectives.TimeSeconds(CollectiveKind.AllReduce, Math.Ceiling(act * parameters), dp, dpLink)
                    + OptimizerStepSeconds(parameters);
            }
        }

        return new GemmModeEstimate(m, k, n, forwardCompute, forwardReduction, backwardCompute, backwardReduction, dpReduction);
    }

    // The reference prices the epilogue with a scalar byte count, which lands on the register-file level.
    private double EpilogueSeconds(long m, long n) =>
        _roofline.TimeAtRegisterLevelSeconds(m * n * EpilogueFlopsPerElement, _precision.ActivationsBytes * m * n * EpilogueAccessesPerElement)
        + EpilogueKernels * _overheadSeconds;

    private double OptimizerStepSeconds(long parameters)
    {
        var p = _precision;
        var readBytes = p.ParametersBytes + p.GradientsBytes + 2 * p.OptimizerStatesBytes + p.MasterParametersBytes;
        var writeBytes = p.ParametersBytes + 2 * p.OptimizerStatesBytes + p.MasterParametersBytes;
        var update = _roofline.TimeAtDramSeconds(parameters * OptimizerFlopsPerParameter, parameters * (readBytes + writeBytes));
        // Gradient clipping: norm and scale, read and write of every gradient, priced at the register level as in the reference.
        var clipping = _roofline.TimeAtRegisterLevelSeconds(parameters * 4.0, parameters * 2 * p.GradientsBytes);
        return update + clipping;
    }
}
