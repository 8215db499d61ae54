using RapidLlm.Common;

namespace RapidLlm.Hardware;

/// <summary>
/// The physical device model derived from a hardware description: compute throughput and the memory hierarchy,
/// ordered from the register file (level 0) to DRAM (last level).
/// </summary>
/// <param name="Core">The compute core.</param>
/// <param name="MemoryLevels">Memory levels, innermost first; the last one is device DRAM (HBM).</param>
internal sealed record HardwareModel(CoreModel Core, EquatableArray<MemoryLevel> MemoryLevels)
{
    /// <summary>Index of the outermost memory level (DRAM).</summary>
    public int DramLevel => MemoryLevels.Count - 1;

    /// <summary>The outermost memory level (DRAM).</summary>
    public MemoryLevel Dram => MemoryLevels[DramLevel];
}

/// <summary>The compute core of one device.</summary>
/// <param name="NumBundles">Number of MCU bundles (SMs on a GPU).</param>
/// <param name="NumMcu">Total number of MCUs (tensor cores).</param>
/// <param name="OperatingFrequencyHz">Operating clock frequency.</param>
/// <param name="ThroughputFlopsPerSecond">Sustained throughput: rate per MCU × frequency × MCUs × util.</param>
/// <param name="FmaD1">First dimension of the MCU's matrix-multiply unit.</param>
/// <param name="FmaD2">Second dimension of the MCU's matrix-multiply unit.</param>
/// <param name="Dataflow">The systolic dataflow used by the GEMM model.</param>
/// <param name="EnergyPerFlopJoules">Energy of one floating-point operation.</param>
internal sealed record CoreModel(
    int NumBundles,
    int NumMcu,
    double OperatingFrequencyHz,
    double ThroughputFlopsPerSecond,
    int FmaD1,
    int FmaD2,
    Dataflow Dataflow,
    double EnergyPerFlopJoules);

/// <summary>One level of the memory hierarchy.</summary>
/// <param name="Kind">What kind of memory this is.</param>
/// <param name="Scope">How the capacity is shared.</param>
/// <param name="SizeBytes">Total capacity of the level on the device.</param>
/// <param name="SizePerBundleBytes">Capacity visible to one unit of <paramref name="Scope"/>.</param>
/// <param name="ThroughputBytesPerSecond">Effective bandwidth (bandwidth × util).</param>
/// <param name="LatencySeconds">Access latency added to memory-bound accesses.</param>
/// <param name="DynamicEnergyPerBitJoules">Energy per bit moved.</param>
internal sealed record MemoryLevel(
    MemoryKind Kind,
    MemoryScope Scope,
    double SizeBytes,
    double SizePerBundleBytes,
    double ThroughputBytesPerSecond,
    double LatencySeconds,
    double DynamicEnergyPerBitJoules);
