using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Network;

namespace RapidLlm.Simulation;

/// <summary>Changes one network dimension; anything not set keeps the hardware's value.</summary>
public sealed class NetworkDimensionBuilder
{
    private double? _bandwidth, _latency, _util, _energy;
    private TopologyType? _topology;
    private ParallelismAxis[]? _axes;

    /// <summary>Link bandwidth (<c>topology.bandwidth</c>), &gt; 0.</summary>
    /// <param name="bytesPerSecond">Bytes per second per link.</param>
    public NetworkDimensionBuilder Bandwidth(double bytesPerSecond)
    {
        _bandwidth = bytesPerSecond;
        return this;
    }

    /// <summary>Latency per message or ring step (<c>topology.latency</c>), ≥ 0.</summary>
    /// <param name="seconds">Seconds.</param>
    public NetworkDimensionBuilder Latency(double seconds)
    {
        _latency = seconds;
        return this;
    }

    /// <summary>Bandwidth derate (<c>topology.util</c>), in (0, 1].</summary>
    /// <param name="fraction">The achievable fraction of the bandwidth.</param>
    public NetworkDimensionBuilder Utilization(double fraction)
    {
        _util = fraction;
        return this;
    }

    /// <summary>Energy per bit moved (<c>topology.energy_per_bit</c>), ≥ 0.</summary>
    /// <param name="joules">Joules per bit.</param>
    public NetworkDimensionBuilder EnergyPerBit(double joules)
    {
        _energy = joules;
        return this;
    }

    /// <summary>Topology kind (<c>topology.type</c>); the analytical backend accepts only <see cref="TopologyType.Ring"/>.</summary>
    /// <param name="topology">The kind.</param>
    public NetworkDimensionBuilder Topology(TopologyType topology)
    {
        _topology = topology;
        return this;
    }

    /// <summary>The parallelism axes whose traffic uses this dimension (<c>parallelisms</c>); replaces the hardware's list.</summary>
    /// <param name="axes">The axes, e.g. <c>ParallelismAxis.Tp, ParallelismAxis.Cp</c>.</param>
    public NetworkDimensionBuilder Axes(params ParallelismAxis[] axes)
    {
        _axes = axes;
        return this;
    }

    internal NetworkDimensionConfig Apply(NetworkDimensionConfig dimension, string path, ExecutionBackendKind backend, List<ConfigDiagnostic> problems)
    {
        var t = dimension.Topology;
        if (_bandwidth is { } bw && !(bw > 0)) problems.Add(BuilderDiagnostics.Error(path + ".topology.bandwidth", bw, "must be > 0 bytes per second"));
        else if (_bandwidth is { } b) t = t with { BandwidthBytesPerSecond = b };
        if (_latency is { } lat && !(lat >= 0)) problems.Add(BuilderDiagnostics.Error(path + ".topology.latency", lat, "must be ≥ 0 seconds"));
        else if (_latency is { } l) t = t with { LatencySeconds = l };
        if (_util is { } u && !(u is > 0 and <= 1)) problems.Add(BuilderDiagnostics.Error(path + ".topology.util", u, "must be in (0, 1]"));
        else if (_util is { } v) t = t with { Util = v };
        if (_energy is { } e && !(e >= 0)) problems.Add(BuilderDiagnostics.Error(path + ".topology.energy_per_bit", e, "must be ≥ 0 joules per bit"));
        else if (_energy is { } j) t = t with { EnergyPerBitJoules = j };
        if (_topology is { } kind)
        {
            if (kind != TopologyType.Ring && backend == ExecutionBackendKind.Analytical)
                problems.Add(BuilderDiagnostics.Error(path + ".topology.type", kind, "the analytical backend supports only Ring topologies; use Ring or UseAstraSim(...)"));
            else t = t with { Type = kind, TypeName = kind.ToString() };
        }

        var result = dimension with { Topology = t };
        if (_axes is not null) result = result with { Parallelisms = new EquatableArray<ParallelismAxis>(_axes.Distinct()) };
        return result;
    }
}
