using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Memory;
using RapidLlm.Results;
using RapidLlm.Simulation;

namespace RapidLlm.Workbench.Running;

/// <summary>Runs the one estimate a simulation's model calls for and turns the library's record into an <see cref="EstimateOutcome"/>.</summary>
public static class EstimateRunner
{
    private const double BytesPerGib = 1024.0 * 1024 * 1024;

    /// <summary>Estimates training, inference or the GEMM, whichever the model is.</summary>
    /// <param name="simulation">A validated simulation.</param>
    /// <param name="includeMemory">Also estimate per-GPU memory (default true).</param>
    /// <returns>The outcome.</returns>
    public static EstimateOutcome Run(LlmSimulation simulation, bool includeMemory = true)
    {
        var warnings = simulation.Warnings.Select(w => w.ToString()).ToList();
        if (simulation.Model.Mode == ModelMode.Gemm)
        {
            var gemm = simulation.EstimateGemm();
            var table = gemm.ToTable();
            return new EstimateOutcome(table.Title, "gemm", gemm.ToString() ?? table.Title, Rows(table),
                "The GEMM: compute and tensor-parallel communication, forward and backward",
                [
                    new TimeSlice("GEMM", gemm.ForwardComputeSeconds, gemm.ForwardReductionSeconds, gemm.BackwardComputeSeconds, gemm.BackwardTensorReductionSeconds),
                    new TimeSlice("data-parallel reduction", 0, 0, 0, gemm.DataParallelReductionSeconds),
                ],
                null, warnings, gemm.ToJson(), gemm.ToCsv(), gemm.ToMarkdown());
        }

        if (simulation.Model.RunType == RunType.Training)
        {
            var e = simulation.EstimateTraining(includeMemory);
            var table = e.ToTable();
            var memory = Picture(e.Memory, warnings);
            // The attention block's parts are inside "attention" (LayerOperations does not list them twice).
            var slices = e.LayerOperations
                .Where(op => op.TotalSeconds > 0)
                .Select(op => new TimeSlice(op.Name, op.ForwardComputeSeconds, op.ForwardCommunicationSeconds,
                    op.BackwardComputeSeconds, op.BackwardCommunicationSeconds))
                .ToList();
            slices.Add(new TimeSlice("optimizer step", 0, 0, e.OptimizerSeconds, 0));
            var tokens = e.TimePerBatchSeconds > 0 ? (double)simulation.Model.BatchSize * simulation.Model.SequenceLength / e.TimePerBatchSeconds : 0;
            return new EstimateOutcome(table.Title, "training", e.ToString(), Rows(table),
                "One layer per operator (embedding and LM head once), forward and backward, and the optimizer",
                slices, memory, warnings, e.ToJson(), e.ToCsv(), e.ToMarkdown()) { TokensPerSecond = tokens };
        }
        else
        {
            var e = simulation.EstimateInference(includeMemory);
            var table = e.ToTable();
            var memory = Picture(e.Memory, warnings);
            var firstDecodeStep = Math.Max(0, e.TimeToFirstTokenSeconds - e.PrefillSeconds);
            var slices = new List<TimeSlice>
            {
                new("prefill", e.PrefillSeconds, 0, 0, 0),
                new("first decode step", firstDecodeStep, 0, 0, 0),
                new("rest of decode", Math.Max(0, e.DecodeSeconds - firstDecodeStep), 0, 0, 0),
            };
            if (e.DecodeSkipped) slices.RemoveRange(1, 2);
            var tokens = e.DecodeTokensPerSecond
                ?? (e.TotalSeconds > 0 ? (double)e.PromptTokens * e.BatchSize * e.ReplicaCount / e.TotalSeconds : 0);
            return new EstimateOutcome(table.Title, "inference", e.ToString().Split('\n')[0].Trim(), Rows(table),
                "One batch: prefill, then the decode steps (time to first token = prefill + first step)",
                slices, memory, warnings, e.ToJson(), e.ToCsv(), e.ToMarkdown()) { TokensPerSecond = tokens };
        }
    }

    private static List<MetricRow> Rows(ResultTable table) =>
        table.Rows.Select(r => new MetricRow(r.Metric.Trim(), r.Value, r.UnitSymbol, r.Display)).ToList();

    private static MemoryPicture? Picture(MemoryEstimate? memory, List<string> warnings)
    {
        if (memory is null) return null;
        var report = memory.Report;
        var components = new List<MemorySlice>();
        if (memory.PeakBreakdown is { } b)
        {
            foreach (var (name, bytes) in new[]
                     {
                         ("weights", b.WeightBytes), ("gradients", b.GradientBytes), ("optimizer states", b.OptimizerBytes),
                         ("activations", b.ActivationBytes), ("KV cache", b.KvCacheBytes), ("ZeRO-3 gathers", b.EphemeralBytes),
                         ("other static", b.OtherStaticBytes),
                     })
            {
                if (bytes > 0) components.Add(new MemorySlice(name, bytes));
            }
        }

        var picture = new MemoryPicture(report.PeakGib * BytesPerGib, report.CapacityGib * BytesPerGib, components);
        if (!picture.Fits)
        {
            warnings.Insert(0, $"Does not fit: the peak {Quantity.Bytes(picture.PeakBytes)} per GPU exceeds the capacity {Quantity.Bytes(picture.CapacityBytes ?? 0)} by {Quantity.Bytes(picture.PeakBytes - (picture.CapacityBytes ?? 0))}.");
        }

        return picture;
    }
}
