using RapidLlm.Common;

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
    /// <summary>All backward communication: the tensor-parallel plus the data-parallel reduction.</summary>
    public double BackwardReductionSeconds => BackwardTensorReductionSeconds + DataParallelReductionSeconds;

    /// <summary>Forward, backward and data-parallel reduction together.</summary>
    public double TotalSeconds => ForwardSeconds + BackwardSeconds + DataParallelReductionSeconds;

    /// <summary>Forward compute plus forward communication.</summary>
    public double ForwardSeconds => ForwardComputeSeconds + ForwardReductionSeconds;

    /// <summary>Backward compute plus backward tensor-parallel communication.</summary>
    public double BackwardSeconds => BackwardComputeSeconds + BackwardTensorReductionSeconds;

    /// <summary>All communication time.</summary>
    public double ReductionSeconds => ForwardReductionSeconds + BackwardReductionSeconds;

    /// <summary>The figures of this estimate with units.</summary>
    /// <returns>The table every text form prints from.</returns>
    public ResultTable ToTable() => new($"GEMM {M}×{K}×{N}",
    [
        new("total", TotalSeconds, ResultUnit.Seconds),
        new("forward compute", ForwardComputeSeconds, ResultUnit.Seconds),
        new("forward reduction", ForwardReductionSeconds, ResultUnit.Seconds),
        new("backward compute", BackwardComputeSeconds, ResultUnit.Seconds),
        new("backward tensor-parallel reduction", BackwardTensorReductionSeconds, ResultUnit.Seconds),
        new("data-parallel reduction", DataParallelReductionSeconds, ResultUnit.Seconds),
    ]);

    /// <summary>One line with units: total, forward and backward.</summary>
    /// <returns>Text.</returns>
    public override string ToString() =>
        $"GEMM {M}×{K}×{N}: {Quantity.Seconds(TotalSeconds)} (forward {Quantity.Seconds(ForwardSeconds)}, backward {Quantity.Seconds(BackwardSeconds)}, data-parallel {Quantity.Seconds(DataParallelReductionSeconds)})";

    /// <summary>A Markdown table of the figures, with units.</summary>
    /// <returns>Markdown ending in a newline.</returns>
    public string ToMarkdown() => ToTable().ToMarkdown();

    /// <summary>CSV <c>metric,value,unit</c>, values in SI base units.</summary>
    /// <returns>CSV text.</returns>
    public string ToCsv() => ToTable().ToCsv();

    /// <summary>JSON <c>{"title", "metrics": [{"metric", "value", "unit"}]}</c>, values in SI base units.</summary>
    /// <param name="indented">Indent the output; default true.</param>
    /// <returns>JSON text.</returns>
    public string ToJson(bool indented = true) => ToTable().ToJson(indented);
}
