using RapidLlm.Graphs;

namespace RapidLlm.Memory;

/// <summary>
/// Peak memory per device by simulating flattened per-rank graphs: training simulates one
/// forward+backward graph; inference simulates the prefill graph and the final decode-step graph and
/// keeps the larger peak. The graphs come from <see cref="Graphs.Flattening.PipelineGraphFlattener"/>.
/// Stateless and thread-safe.
/// </summary>
internal static partial class MemoryEstimator
{
    /// <summary>Estimates training memory.</summary>
    /// <param name="model">Model, sharding, precision and capacity.</param>
    /// <param name="batchSize">Sequences per transformer call.</param>
    /// <param name="sequenceLength">Tokens per sequence.</param>
    /// <param name="flattenedTrainingGraph">The flattened training graph.</param>
    /// <returns>The estimate.</returns>
    public static MemoryEstimate EstimateTraining(MemoryEstimatorInput model, int batchSize, int sequenceLength, ExecutionGraph flattenedTrainingGraph)
    {
        ArgumentNullException.ThrowIfNull(model);
        var data = MemoryDataBuilder.Build(model, MemoryPhaseInput.Training(batchSize, sequenceLength));
        var sim = MemorySimulator.Simulate(flattenedTrainingGraph, data);
        var report = new MemoryCapacityReport
        {
            Mode = MemoryMode.Training,
            CapacityGib = model.CapacityBytes / DeviceMemory.BytesPerGib,
            PeakGib = sim.PeakGib,
            Zero3EphemeralPeakBytes = model.ZeroStage >= 3 ? data.Zero3EphemeralPeakBytes : 0,
        };
        return new MemoryEstimate(report, new([sim])) { Data = new([data]) };
    }

    /// <summary>Estimates inference memory (prefill and final decode step).</summary>
    /// <param name="model">Model, sharding, precision and capacity.</param>
    /// <param name="batchSize">Sequences per transformer call.</param>
    /// <param name="promptLength">Prefill tokens (0: no prefill).</param>
    /// <param name="totalLength">Prompt plus generated tokens (the cache length at the last decode step).</param>
    /// <param name="flattenedPrefillGraph">Flattened prefill graph; required when <paramref name="promptLength"/> &gt; 0.</param>
    /// <param name="flattenedDecodeGraph">Flattened decode-step graph; null when there are no decode steps.</param>
    /// <returns>The estimate.</returns>
    public static MemoryEstimate EstimateInference(
        MemoryEstimatorInput model,
        int batchSize,
        int promptLength,
        int totalLength,
        ExecutionGraph? flattenedPrefillGraph,
        ExecutionGraph? flattenedDecodeGraph) =>
        EstimateInference(model, batchSize, promptLength, totalLength,
            data => MemorySimulator.Simulate(flattenedPrefillGraph ?? throw new ArgumentNullException(nameof(flattenedPrefillGraph)), data),
            flattenedDecodeGraph is null ? null : data => MemorySimulator.Simulate(flattenedDecodeGraph, data));

    /// <summary>Inference memory from the simulations of the prefill and the final decode step (null: no such pass).</summary>
    private static MemoryEstimate EstimateInference(
        MemoryEstimatorInput model,
        int batchSize,
        int promptLength,
        int totalLength,
        Func<MemoryData, MemorySimulationResult>? prefill,
        Func<MemoryData, MemorySimulationResult>? decode)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sims = new List<MemorySimulationResult>();
        var datas = new List<MemoryData>();
        var prefillPeak = 0.0;
        if (promptLength > 0)
        {
            var phase = MemoryPhaseInput.Prefill(batchSize, promptLength);
            // A vision encoder runs one forward pass and keeps no key/value cache.
            if (model.Vision is not null) phase = phase with { KvCacheTokens = 0 };
            var data = MemoryDataBuilder.Build(model, phase);
            var sim = (prefill ?? throw new ArgumentNullException(nameof(prefill)))(data);
            prefillPeak = sim.PeakGib;
            sims.Add(sim);
            datas.Add(data);
        }

        var decodePeak = prefillPeak;
        if (decode is not null && totalLength > promptLength)
        {
            var data = MemoryDataBuilder.Build(model, MemoryPhaseInput.FinalDecode(batchSize, totalLength));
            var sim = decode(data);
            decodePeak = sim.PeakGib;
            sims.Add(sim);
            datas.Add(data);
        }

        var report = new MemoryCapacityReport
        {
            Mode = MemoryMode.Inference,
            CapacityGib = model.CapacityBytes / DeviceMemory.BytesPerGib,
            PeakGib = Math.Max(prefillPeak, decodePeak),
            PrefillPeakGib = prefillPeak,
            DecodePeakGib = decodePeak,
        };
        return new MemoryEstimate(report, new(sims)) { Data = new(datas) };
    }
}
