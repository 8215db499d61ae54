using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;

namespace RapidLlm.Memory;

internal static partial class MemoryEstimator
{
    /// <summary>
    /// Estimates training memory from the timed pipeline graph: the same figures as flattening it and simulating the
    /// per-rank graph (<see cref="EstimateTraining(MemoryEstimatorInput, int, int, ExecutionGraph)"/>), by replaying each
    /// GPU's operations in the stage order (see <see cref="PipelineMemoryReplay"/>); falls back to flattening where that
    /// does not apply.
    /// </summary>
    internal static MemoryEstimate EstimateTraining(
        MemoryEstimatorInput model, int batchSize, int sequenceLength, ExecutionGraph timedPipeline, FlatteningInput flattening, Func<ExecutionGraph> flatten)
    {
        ArgumentNullException.ThrowIfNull(model);
        var data = MemoryDataBuilder.Build(model, MemoryPhaseInput.Training(batchSize, sequenceLength));
        var sim = new TimedPass(timedPipeline, flattening, flatten).Simulate(data);
        var report = new MemoryCapacityReport
        {
            Mode = MemoryMode.Training,
            CapacityGib = model.CapacityBytes / DeviceMemory.BytesPerGib,
            PeakGib = sim.PeakGib,
            Zero3EphemeralPeakBytes = model.ZeroStage >= 3 ? data.Zero3EphemeralPeakBytes : 0,
        };
        return new MemoryEstimate(report, new([sim])) { Data = new([data]) };
    }

    /// <summary>
    /// Estimates inference memory from the timed prefill and decode-step pipeline graphs: the same figures as
    /// <see cref="EstimateInference(MemoryEstimatorInput, int, int, int, ExecutionGraph?, ExecutionGraph?)"/> over their
    /// flattened graphs, by the replay where it applies.
    /// </summary>
    internal static MemoryEstimate EstimateInference(
        MemoryEstimatorInput model, int batchSize, int promptLength, int totalLength, TimedPass? prefill, TimedPass? decode) =>
        EstimateInference(model, batchSize, promptLength, totalLength,
            prefill is null ? null : new Func<MemoryData, MemorySimulationResult>(prefill.Simulate),
            decode is null ? null : new Func<MemoryData, MemorySimulationResult>(decode.Simulate));

    /// <summary>
    /// A timed pipeline graph, what flattening it needs, and how to flatten it where the replay does not apply (a pass
    /// without a pipeline graph is always flattened).
    /// </summary>
    internal sealed record TimedPass(ExecutionGraph? TimedPipeline, FlatteningInput? Flattening, Func<ExecutionGraph> Flatten)
    {
        /// <summary>The replay's figures, or the flattened graph's simulation where the replay does not apply.</summary>
        public MemorySimulationResult Simulate(MemoryData data) =>
            (TimedPipeline is not null && Flattening is not null ? PipelineMemoryReplay.Simulate(TimedPipeline, Flattening, data) : null)
            ?? MemorySimulator.Simulate(Flatten(), data);
    }
}
