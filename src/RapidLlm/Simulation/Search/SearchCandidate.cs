using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Memory;

namespace RapidLlm.Search;

/// <summary>
/// One estimated configuration of a search: the point and what it gives. Training candidates have
/// <see cref="TimePerBatchSeconds"/>; inference candidates <see cref="TotalSeconds"/> and <see cref="TimeToFirstTokenSeconds"/>.
/// Every figure equals what <c>LlmSimulation.EstimateTraining()</c> / <c>EstimateInference()</c> gives for the same configuration.
/// </summary>
/// <param name="Point">The configuration.</param>
/// <param name="TimePerBatchSeconds">Training: time of one global batch; null for inference.</param>
/// <param name="TotalSeconds">Inference: prefill plus decode of one batch; null for training.</param>
/// <param name="TimeToFirstTokenSeconds">Inference: time to the first generated token; null for training.</param>
/// <param name="TokensPerSecond">Training: trained tokens per second (batch × sequence / time per batch). Inference: aggregate generated tokens per second over all replicas (prompt tokens per second for a run without decode).</param>
/// <param name="ModelFlopsUtilization">Model FLOPs per second over the GPUs' peak dense FLOP/s (MFU, see <see cref="ModelFlops"/>).</param>
/// <param name="ParameterCount">The model's parameters (all experts, embeddings and an untied head).</param>
/// <param name="PeakMemoryBytes">Per-GPU peak memory of the busiest GPU.</param>
/// <param name="CapacityBytes">Per-GPU memory capacity.</param>
/// <param name="Fits">The peak fits in the capacity less the search's headroom.</param>
/// <param name="EnergyJoules">Dynamic energy of the run (compute, HBM traffic, communication) over all GPUs: one training batch, or one batch on every inference replica.</param>
public sealed record SearchCandidate(
    SearchPoint Point,
    double? TimePerBatchSeconds,
    double? TotalSeconds,
    double? TimeToFirstTokenSeconds,
    double TokensPerSecond,
    double ModelFlopsUtilization,
    long ParameterCount,
    double PeakMemoryBytes,
    double CapacityBytes,
    bool Fits,
    double EnergyJoules)
{
    /// <summary>Training or inference.</summary>
    public RunType RunType => Point.RunType;

    /// <summary>GPUs the candidate uses.</summary>
    public int Gpus => Point.Gpus;

    /// <summary>Per-GPU peak memory in GiB (2^30 bytes), as the JSON result gives it.</summary>
    public double PeakGib => PeakMemoryBytes / DeviceMemory.BytesPerGib;

    /// <summary>The value the objective ranks by (smaller is better for times; throughput is negated so smaller is better too).</summary>
    /// <param name="objective">The objective.</param>
    /// <returns>The ranking key.</returns>
    public double RankingValue(SearchObjective objective) => objective switch
    {
        SearchObjective.TimePerBatch => TimePerBatchSeconds ?? TotalSeconds ?? double.PositiveInfinity,
        SearchObjective.TimeToFirstToken => TimeToFirstTokenSeconds ?? TimePerBatchSeconds ?? double.PositiveInfinity,
        _ => -TokensPerSecond,
    };

    /// <inheritdoc />
    public override string ToString()
    {
        var time = TimePerBatchSeconds is { } t
            ? $"{Quantity.Seconds(t)} per batch"
            : $"TTFT {Quantity.Seconds(TimeToFirstTokenSeconds ?? 0)}, total {Quantity.Seconds(TotalSeconds ?? 0)}";
        return $"{Point}: {time}, {Quantity.Rate(TokensPerSecond, "tok")}, MFU {ModelFlopsUtilization * 100:F1} %, "
            + $"peak {Quantity.Bytes(PeakMemoryBytes)}{(Fits ? "" : " (does not fit)")}";
    }
}
