using RapidLlm.Common;

namespace RapidLlm.AstraSim.Running;

/// <summary>AstraSim's result for one run.</summary>
/// <param name="PerRankSeconds">Wall time of each rank, in rank order.</param>
/// <param name="FromCache">True when the result came from the content cache without running the binary.</param>
internal sealed record AstraSimRunResult(EquatableArray<double> PerRankSeconds, bool FromCache = false)
{
    /// <summary>The slowest rank's wall time: the run's duration.</summary>
    public double MaxSeconds => PerRankSeconds.Count == 0 ? 0 : PerRankSeconds.Max();
}
