using RapidLlm.Common;
using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// Changes the network of the chosen hardware: overlap fractions and the links of existing dimensions. Anything not
/// set keeps the hardware's value. Each method returns the builder so calls chain.
/// </summary>
public sealed class NetworkBuilder
{
    private readonly SortedDictionary<int, NetworkDimensionBuilder> _dimensions = [];
    private double? _tpOverlap, _tpSpOverlap, _cpOverlap;

    /// <summary>Compute/communication overlap fractions (<c>network.overlap</c>), each in [0, 1]; null keeps the hardware's value.</summary>
    /// <param name="tensor">Fraction of a TP node's communication hidden behind compute (<c>tp_overlap</c>).</param>
    /// <param name="tensorSequence">The same with sequence parallelism (<c>tp_sp_overlap</c>).</param>
    /// <param name="context">Fraction of CP communication hidden behind attention (<c>cp_overlap</c>).</param>
    public NetworkBuilder Overlap(double? tensor = null, double? tensorSequence = null, double? context = null)
    {
        _tpOverlap = tensor ?? _tpOverlap;
        _tpSpOverlap = tensorSequence ?? _tpSpOverlap;
        _cpOverlap = context ?? _cpOverlap;
        return this;
    }

    /// <summary>Changes dimension <paramref name="index"/> (<c>network.dimensions[index]</c>, innermost first).</summary>
    /// <param name="index">Zero-based dimension index; must exist in the hardware.</param>
    /// <param name="configure">Sets the dimension's link figures or axes.</param>
    public NetworkBuilder Dimension(int index, Action<NetworkDimensionBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        if (!_dimensions.TryGetValue(index, out var dimension)) _dimensions[index] = dimension = new NetworkDimensionBuilder();
        configure(dimension);
        return this;
    }

    internal NetworkConfig Apply(NetworkConfig network, ExecutionBackendKind backend, List<ConfigDiagnostic> problems)
    {
        var overlap = network.Overlap with
        {
            TpOverlap = Fraction("network.overlap.tp_overlap", _tpOverlap, network.Overlap.TpOverlap, problems),
            TpSpOverlap = Fraction("network.overlap.tp_sp_overlap", _tpSpOverlap, network.Overlap.TpSpOverlap, problems),
            CpOverlap = Fraction("network.overlap.cp_overlap", _cpOverlap, network.Overlap.CpOverlap, problems),
        };
        var dimensions = network.Dimensions.ToList();
        foreach (var (index, edit) in _dimensions)
        {
            if (index < 0 || index >= dimensions.Count)
            {
                problems.Add(BuilderDiagnostics.Error($"network.dimensions[{index}]", index,
                    $"the hardware has {dimensions.Count} network dimension(s); use an index from 0 to {dimensions.Count - 1}"));
                continue;
            }

            dimensions[index] = edit.Apply(dimensions[index], $"network.dimensions[{index}]", backend, problems);
        }

        return network with { Overlap = overlap, Dimensions = new EquatableArray<NetworkDimensionConfig>(dimensions) };
    }

    private static double Fraction(string path, double? value, double current, List<ConfigDiagnostic> problems)
    {
        if (value is not { } v) return current;
        if (v is >= 0 and <= 1) return v;
        problems.Add(BuilderDiagnostics.Error(path, v, "must be a fraction in [0, 1]"));
        return current;
    }
}
