namespace RapidLlm.Memory;

/// <summary>The memory estimate of a run: the simulations and the capacity comparison.</summary>
/// <param name="Report">Peak versus capacity.</param>
/// <param name="Simulations">Training: one; inference: prefill then final decode (either may be absent).</param>
/// <param name="Data">The memory data of each simulation, in the same order.</param>
public sealed record MemoryEstimate(MemoryCapacityReport Report, IReadOnlyList<MemorySimulationResult> Simulations, IReadOnlyList<MemoryData> Data)
{
    /// <summary>Component breakdown of the device with the overall peak.</summary>
    public MemoryComponentBreakdown? PeakBreakdown =>
        Simulations.Where(s => s.PeakDevice is not null).MaxBy(s => s.PeakGib)?.PeakDevice?.AtPeak;
}
