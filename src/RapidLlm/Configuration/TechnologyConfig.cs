using RapidLlm.Common;
using RapidLlm.Hardware;

namespace RapidLlm.Configuration;

/// <summary>Technology parameters of the device (<c>tech_param</c>).</summary>
/// <param name="Core">The compute core.</param>
/// <param name="Dram">Device DRAM / HBM (<c>DRAM</c>).</param>
/// <param name="L2">Last-level cache (<c>SRAM-L2</c>).</param>
/// <param name="L1">Shared memory / L1 (<c>SRAM-L1</c>).</param>
/// <param name="Register">Register file (<c>SRAM-R</c>).</param>
internal sealed record TechnologyConfig(
    CoreTechConfig Core,
    MemoryTechConfig Dram,
    MemoryTechConfig L2,
    MemoryTechConfig L1,
    MemoryTechConfig Register)
{
    /// <summary>The technology block of the given memory kind.</summary>
    /// <param name="kind">The memory kind.</param>
    public MemoryTechConfig For(MemoryKind kind) => kind switch
    {
        MemoryKind.Dram => Dram,
        MemoryKind.L2 => L2,
        MemoryKind.L1 => L1,
        _ => Register,
    };
}

/// <summary>Compute-core technology (<c>tech_param.core</c>).</summary>
/// <param name="NominalFlopRatePerMcu">FLOP per cycle per MCU (tensor core). Required.</param>
/// <param name="NominalEnergyPerFlopJoules">Energy per FLOP. Required.</param>
/// <param name="NumMcuPerBundle">MCUs per bundle (tensor cores per SM). Required.</param>
/// <param name="FmaD1">First dimension of the MCU's matrix unit. Required.</param>
/// <param name="FmaD2">Second dimension of the MCU's matrix unit. Required.</param>
/// <param name="Dataflow">Systolic dataflow. Required.</param>
/// <param name="Util">Throughput derate. Required.</param>
/// <param name="NumBundles">Number of bundles (SMs); null if absent.</param>
/// <param name="OperatingFrequencyHz">Clock; null if absent (then it is derived from <paramref name="NominalFrequencyHz"/>).</param>
/// <param name="NominalFrequencyHz">Nominal clock for the voltage-scaling path; null if absent.</param>
/// <param name="NominalAreaPerMcu">Nominal MCU area; null (the default) means no area scaling.</param>
/// <param name="OperatingAreaPerMcu">Operating MCU area; default 0.1.</param>
/// <param name="NominalPowerPerMcuWatts">Nominal MCU power; default 0.1.</param>
/// <param name="NominalVoltage">Nominal supply voltage; default 0.1.</param>
/// <param name="ThresholdVoltage">Threshold voltage; default 0.1.</param>
/// <param name="MarginVoltage">Voltage margin above threshold; default 0.1.</param>
internal sealed record CoreTechConfig(
    double NominalFlopRatePerMcu,
    double NominalEnergyPerFlopJoules,
    int NumMcuPerBundle,
    int FmaD1,
    int FmaD2,
    Dataflow Dataflow,
    double Util,
    int? NumBundles,
    double? OperatingFrequencyHz,
    double? NominalFrequencyHz,
    double? NominalAreaPerMcu,
    double OperatingAreaPerMcu = 0.1,
    double NominalPowerPerMcuWatts = 0.1,
    double NominalVoltage = 0.1,
    double ThresholdVoltage = 0.1,
    double MarginVoltage = 0.1);

/// <summary>Technology of one memory level (<c>tech_param.DRAM</c>, <c>SRAM-L2</c>, <c>SRAM-L1</c>, <c>SRAM-R</c>).</summary>
/// <param name="SizeBytes">Capacity of the whole device; required by RapidLlm (the reference's area-derived sizes are not supported).</param>
/// <param name="BandwidthBytesPerSecond">Peak bandwidth; required by RapidLlm.</param>
/// <param name="DynamicEnergyPerBitJoules">Energy per bit moved. Required.</param>
/// <param name="LatencySeconds">Access latency. Required.</param>
/// <param name="Util">Bandwidth derate. Required.</param>
internal sealed record MemoryTechConfig(
    double SizeBytes,
    double BandwidthBytesPerSecond,
    double DynamicEnergyPerBitJoules,
    double LatencySeconds,
    double Util);

/// <summary>One level of the memory hierarchy (<c>memory_hierarchy.l&lt;i&gt;</c>).</summary>
/// <param name="Kind">Which technology block the level uses.</param>
/// <param name="Scope">How its capacity is shared.</param>
internal sealed record MemoryLevelConfig(MemoryKind Kind, MemoryScope Scope);
