using System.Globalization;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Results;

namespace RapidLlm.Reports;

/// <summary>
/// The reference's result files, character for character, so scripts written for RAPID-LLM keep working.
/// </summary>
internal static class ReferenceReportText
{
    private const string Border = "==============================================";

    /// <summary>Body of <c>LLM/LLM_training_results.txt</c>.</summary>
    /// <param name="estimate">The training estimate.</param>
    /// <param name="topologyLines">The topology summary lines.</param>
    public static string TrainingResults(TrainingEstimate estimate, IReadOnlyList<string> topologyLines)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(topologyLines);
        return "\n\n" + Border + "\n"
            + "Performance Results\n"
            + Border + "\n"
            + $"Execution Mode: {estimate.Backend}\n"
            + $"Total Time: {PythonNumberFormat.Fixed(estimate.TimePerBatchSeconds, 8)}\n"
            + "\n"
            + string.Join("\n", topologyLines) + "\n";
    }

    /// <summary>
    /// Body of <c>GEMM/summary_modeGEMM_M{M}_K{K}_N{N}.txt</c>. Unlike the reference, "Backward Compute Time" is the
    /// true GEMM time; the reference subtracts the data-parallel reduction that it never added.
    /// </summary>
    /// <param name="estimate">The GEMM estimate.</param>
    /// <param name="backward">Whether the backward pass was modelled.</param>
    public static string GemmSummary(GemmModeEstimate estimate, bool backward)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var text = new System.Text.StringBuilder();
        // Forward compute is printed as (compute + reduction) - reduction, the reference's own arithmetic.
        text.Append("Forward Compute Time: ").Append(PythonNumberFormat.Repr(estimate.ForwardSeconds - estimate.ForwardReductionSeconds)).Append('\n');
        text.Append("Forward Reduction Time: ").Append(PythonNumberFormat.Repr(estimate.ForwardReductionSeconds)).Append('\n');
        if (backward)
        {
            text.Append("Backward Compute Time: ").Append(PythonNumberFormat.Repr(estimate.BackwardComputeSeconds)).Append('\n');
            text.Append("Backward Reduction Time: ").Append(PythonNumberFormat.Repr(estimate.BackwardReductionSeconds)).Append('\n');
            if (estimate.DataParallelReductionSeconds > 0)
                text.Append("DP Reduction Time: ").Append(PythonNumberFormat.Repr(estimate.DataParallelReductionSeconds)).Append('\n');
        }

        text.Append("Total Time: ").Append(PythonNumberFormat.Repr(estimate.TotalSeconds)).Append('\n');
        return text.ToString();
    }

    /// <summary>The lines the reference prints for a GEMM run after the summary file is written.</summary>
    /// <param name="estimate">The GEMM estimate.</param>
    public static IReadOnlyList<string> GemmStdoutLines(GemmModeEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        return
        [
            $"Total time: {PythonNumberFormat.Repr(estimate.TotalSeconds)}",
            $"Reduction time: {PythonNumberFormat.Repr(estimate.ForwardReductionSeconds + estimate.BackwardReductionSeconds)}",
            $"Reduction FWD time: {PythonNumberFormat.Repr(estimate.ForwardReductionSeconds)}",
            $"Reduction BWD time: {PythonNumberFormat.Repr(estimate.BackwardReductionSeconds)}",
        ];
    }

    /// <summary>Our line naming the pipeline schedule of a training run (printed for schedules other than GPipe).</summary>
    /// <param name="parallelism">The run's parallelism.</param>
    public static string ScheduleLine(ParallelismConfig parallelism)
    {
        ArgumentNullException.ThrowIfNull(parallelism);
        return string.Create(CultureInfo.InvariantCulture,
            $"Pipeline schedule: {parallelism.Schedule} over pp {parallelism.Pp} with {parallelism.MicroBatches} micro-batches");
    }

    /// <summary>The reference's RESULTS line for training.</summary>
    /// <param name="estimate">The training estimate.</param>
    public static string TrainingTimeLine(TrainingEstimate estimate) =>
        $"Training time for batch: {PythonNumberFormat.Fixed(estimate.TimePerBatchSeconds, 2)}s";
}
