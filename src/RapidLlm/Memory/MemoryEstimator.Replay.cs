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
        var sim = PipelineMemoryReplay.Simulate(timedPipeline, flattening, data) ?? MemorySimulator.Simulate(flatten(), data);
        var report = new MemoryCapacityReport
        {
            Mode = MemoryMode.Training,
            CapacityGib = model.CapacityBytes / DeviceMemory.BytesPerGib,
            PeakGib = sim.PeakGib,
            Zero3EphemeralPeakBytes = model.ZeroStage >= 3 ? data.Zero3EphemeralPeakBytes : 0,
        };
        return new MemoryEstimate(report, new([sim])) { Data = new([data]) };
    }
}
