using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// Changes the device of the chosen hardware (<c>tech_param</c>) for a what-if, e.g. <c>d =&gt; d.MemoryBandwidth(6.7e12)</c>;
/// anything not set keeps the hardware's value.
/// </summary>
public sealed class DeviceBuilder
{
    private double? _memoryBandwidth;
    private double? _memoryCapacity;
    private int? _computeUnits;
    private double? _clock;

    /// <summary>Peak bandwidth of device memory (HBM, <c>tech_param.DRAM.bandwidth</c>), &gt; 0.</summary>
    /// <param name="bytesPerSecond">Bytes per second.</param>
    public DeviceBuilder MemoryBandwidth(double bytesPerSecond)
    {
        _memoryBandwidth = bytesPerSecond;
        return this;
    }

    /// <summary>Capacity of device memory (HBM, <c>tech_param.DRAM.size</c>), &gt; 0.</summary>
    /// <param name="bytes">Bytes of the whole device.</param>
    public DeviceBuilder MemoryCapacity(double bytes)
    {
        _memoryCapacity = bytes;
        return this;
    }

    /// <summary>Compute units of the device (streaming multiprocessors, <c>tech_param.core.num_bundles</c>), ≥ 1.</summary>
    /// <param name="count">Units.</param>
    public DeviceBuilder ComputeUnits(int count)
    {
        _computeUnits = count;
        return this;
    }

    /// <summary>Operating clock of the compute core (<c>tech_param.core.operating_frequency</c>), &gt; 0.</summary>
    /// <param name="hertz">Hertz.</param>
    public DeviceBuilder ClockFrequency(double hertz)
    {
        _clock = hertz;
        return this;
    }

    internal TechnologyConfig Apply(TechnologyConfig technology, List<ConfigDiagnostic> problems)
    {
        var dram = technology.Dram;
        if (_memoryBandwidth is { } bandwidth)
        {
            if (!(bandwidth > 0) || double.IsInfinity(bandwidth)) problems.Add(BuilderDiagnostics.Error("tech_param.DRAM.bandwidth", bandwidth, "must be a finite number of bytes per second > 0"));
            else dram = dram with { BandwidthBytesPerSecond = bandwidth };
        }

        if (_memoryCapacity is { } capacity)
        {
            if (!(capacity > 0) || double.IsInfinity(capacity)) problems.Add(BuilderDiagnostics.Error("tech_param.DRAM.size", capacity, "must be a finite number of bytes > 0"));
            else dram = dram with { SizeBytes = capacity };
        }

        var core = technology.Core;
        if (_computeUnits is { } units)
        {
            if (units < 1) problems.Add(BuilderDiagnostics.Error("tech_param.core.num_bundles", units, "must be ≥ 1"));
            else core = core with { NumBundles = units };
        }

        if (_clock is { } hertz)
        {
            if (!(hertz > 0) || double.IsInfinity(hertz)) problems.Add(BuilderDiagnostics.Error("tech_param.core.operating_frequency", hertz, "must be a finite number of hertz > 0"));
            else core = core with { OperatingFrequencyHz = hertz };
        }

        return technology with { Dram = dram, Core = core };
    }
}
