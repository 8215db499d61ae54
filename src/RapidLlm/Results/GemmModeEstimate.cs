namespace RapidLlm.Results;

/// <summary>The time of one (optionally distributed) GEMM with its backward pass and data-parallel reduction.</summary>
/// <param name="M">Rows of the activation.</param>
/// <param name="K">Reduction dimension.</param>
/// <param name="N">Columns of the output.</param>
/// <param name="ForwardComputeSeconds">Forward GEMM plus its pointwise epilogue.</param>
/// <param name="ForwardReductionSeconds">Forward tensor-parallel communication.</param>
/// <param name="BackwardComputeSeconds">Activation-gradient and weight-gradient GEMMs (0 without a backward pass).</param>
/// <param name="BackwardTensorReductionSeconds">Backward tensor-parallel communication.</param>
/// <param name="DataParallelReductionSeconds">Gradient all-reduce across data-parallel replicas plus the optimizer step.</param>
public sealed record GemmModeEstimate(
    long M,
    long K,
    long N,
    double ForwardComputeSeconds,
    double ForwardReductionSeconds,
    double BackwardComputeSeconds,
    double BackwardTensorReductionSeconds,
    double DataParallelReductionSeconds)
{
    /// <summary>Backward communication as the reference reports it: tensor-parallel plus data-parallel reduction.</summary>
    public double BackwardReductionSeconds => BackwardTensorReductionSeconds + DataParallelReductionSeconds;

    /// <summary>Forward, backward and data-parallel reduction together.</summary>
    public double TotalSeconds => ForwardSeconds + BackwardSeconds + DataParallelReductionSeconds;

    /// <summary>Forward compute plus forward communication.</summary>
    public double ForwardSeconds => ForwardComputeSeconds + ForwardReductionSeconds;

    /// <summary>Backward compute plus backward tensor-parallel communication.</summary>
    public double BackwardSeconds => BackwardComputeSeconds + BackwardTensorReductionSeconds;

    /// <summary>All communication time.</summary>
    public double ReductionSeconds => ForwardReductionSeconds + BackwardReductionSeconds;
}
