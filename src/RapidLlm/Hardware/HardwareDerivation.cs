using RapidLlm.Common;
using RapidLlm.Configuration;

namespace RapidLlm.Hardware;

/// <summary>Derives the device model (compute throughput and memory levels) from a hardware configuration.</summary>
internal static partial class HardwareDerivation
{
    /// <summary>Builds the device model: core throughput and one <see cref="MemoryLevel"/> per hierarchy level.</summary>
    /// <param name="config">A loaded hardware configuration.</param>
    /// <returns>The device model.</returns>
    public static HardwareModel Derive(HardwareConfig config)
    {
        var core = DeriveCore(config.Technology.Core);
        var levels = config.MemoryHierarchy.Select(level => DeriveLevel(config.Technology.For(level.Kind), level, core));
        return new HardwareModel(core, new EquatableArray<MemoryLevel>(levels));
    }

    /// <summary>
    /// Core throughput = FLOP/cycle per MCU × area scaling × frequency × MCUs × util, where area scaling is
    /// operating/nominal MCU area when a nominal area is given, else 1.
    /// </summary>
    /// <param name="core">The core technology block.</param>
    public static CoreModel DeriveCore(CoreTechConfig core)
    {
        var frequency = core.OperatingFrequencyHz
            ?? throw new ConfigurationException([new ConfigDiagnostic(DiagnosticSeverity.Error, "<hardware>", "tech_param.core.operating_frequency", 0, 0, null,
                "the core clock is required; deriving it from nominal_frequency by voltage scaling is not supported")]);
        var bundles = core.NumBundles
            ?? throw new ConfigurationException([new ConfigDiagnostic(DiagnosticSeverity.Error, "<hardware>", "tech_param.core.num_bundles", 0, 0, null,
                "the number of MCU bundles is required")]);
        var areaScaling = core.NominalAreaPerMcu is { } nominal ? core.OperatingAreaPerMcu / nominal : 1.0;
        var numMcu = bundles * core.NumMcuPerBundle;
        var throughput = core.NominalFlopRatePerMcu * areaScaling * frequency * numMcu * core.Util;
        return new CoreModel(bundles, numMcu, frequency, throughput, core.FmaD1, core.FmaD2, core.Dataflow, core.NominalEnergyPerFlopJoules);
    }

    private static MemoryLevel DeriveLevel(MemoryTechConfig tech, MemoryLevelConfig level, CoreModel core)
    {
        double sharers = level.Scope switch
        {
            MemoryScope.McuBundle => core.NumBundles,
            MemoryScope.Mcu => core.NumMcu,
            _ => 1,
        };
        var perBundle = sharers == 0 ? 0 : tech.SizeBytes / sharers;
        return new MemoryLevel(level.Kind, level.Scope, tech.SizeBytes, perBundle, tech.BandwidthBytesPerSecond * tech.Util,
            tech.LatencySeconds, tech.DynamicEnergyPerBitJoules);
    }
}
