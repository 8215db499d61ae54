using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Hardware;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Configs;

/// <summary>
/// Chooses the network dimensions an AstraSim run uses and converts them to AstraSim's units and topology names,
/// following the reference's rules (CONTRACT.md section 4.1).
/// </summary>
internal static class AstraNetworkPlanner
{
    private static readonly ParallelismAxis[] GreedyOrder = [ParallelismAxis.Tp, ParallelismAxis.Cp, ParallelismAxis.Ep, ParallelismAxis.Pp, ParallelismAxis.Dp];
    private const double BytesPerGiB = 1 << 30;

    /// <summary>Plans the network for <paramref name="request"/>.</summary>
    /// <exception cref="InvalidOperationException">The ranks cannot be mapped onto the configured dimensions.</exception>
    public static AstraNetwork Plan(HardwareConfig hardware, AstraNetworkRequest request)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(request);
        var resolved = NetworkResolution.Resolve(hardware, request.RunType);
        var faults = request.FaultyLinksOverride ?? hardware.Network.FaultyLinks;
        if (resolved.Dimensions.Count == 0)
        {
            throw new InvalidOperationException("The hardware config has no network dimensions, which AstraSim needs.");
        }

        var selected = request.SyntheticPairAxes is { } preferred
            ? [SyntheticPair(resolved, preferred)]
            : SelectDimensions(resolved, request);

        var entries = new List<AstraNetworkDimension>();
        foreach (var (dimension, npus) in selected)
        {
            entries.AddRange(Expand(dimension, npus, request.Flatten2DTo1D));
        }

        var first = selected[0].Dimension.Topology.Type;
        var nonRecursiveFrom = first switch
        {
            TopologyType.KingMesh2D when !request.Flatten2DTo1D => 1,
            TopologyType.Torus2D or TopologyType.Mesh2D or TopologyType.FcRing2D when !request.Flatten2DTo1D => 2,
            TopologyType.SuperPod => 2,
            _ => 0,
        };
        var signature = entries.Any(e => e.Shape is not null)
            ? string.Join("_", entries.Select(e => e.Shape is { } s ? $"{s.First}x{s.Second}" : e.Npus.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : string.Join("_", selected.Select(s => s.Npus.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new AstraNetwork(new EquatableArray<AstraNetworkDimension>(entries), nonRecursiveFrom, signature, faults);
    }

    /// <summary>AstraSim's name for a configured topology.</summary>
    public static string AstraName(TopologyType topology) => topology switch
    {
        TopologyType.Ring => "Ring",
        TopologyType.FullyConnected => "FullyConnected",
        TopologyType.Switch => "Switch",
        TopologyType.Mesh => "Mesh",
        TopologyType.HyperCube => "HyperCube",
        TopologyType.Torus2D => "Torus2D",
        TopologyType.Mesh2D => "Mesh2D",
        TopologyType.KingMesh2D => "KingMesh2D",
        TopologyType.FcRing2D => "FCRing2D",
        TopologyType.SuperPod => "SuperPOD",
        _ => "FullyConnected",
    };

    private static List<(NetworkDimensionConfig Dimension, int Npus)> SelectDimensions(ResolvedNetwork resolved, AstraNetworkRequest request)
    {
        var filter = request.AxesFilter;
        int SizeOf(ParallelismAxis axis) =>
            filter is null || filter.Value.Contains(axis) ? Math.Max(1, resolved.SizeOf(axis)) : 1;

        ValidateDataParallelPlacement(resolved, SizeOf(ParallelismAxis.Dp));

        var needed = new HashSet<ParallelismAxis>();
        var remaining = request.NpusCount;
        foreach (var axis in GreedyOrder)
        {
            var size = SizeOf(axis);
            if (size > 1 && remaining % size == 0)
            {
                needed.Add(axis);
                remaining /= size;
            }
        }

        if (remaining != 1)
        {
            throw new InvalidOperationException(
                $"Cannot map {request.NpusCount} AstraSim ranks onto the parallelism axes ({Describe(resolved, SizeOf)}).");
        }

        var selected = new List<(NetworkDimensionConfig, int)>();
        var accumulated = 1;
        foreach (var dimension in resolved.Dimensions)
        {
            var axes = dimension.Parallelisms.Where(needed.Contains).ToList();
            if (axes.Count == 0)
            {
                continue;
            }

            needed.ExceptWith(axes);
            var npus = axes.Aggregate(1, (acc, axis) => acc * SizeOf(axis));
            accumulated *= npus;
            selected.Add((dimension, npus));
        }

        if (needed.Count > 0 || accumulated != request.NpusCount)
        {
            throw new InvalidOperationException(
                $"No network dimension carries the axes {string.Join(", ", needed)} needed for {request.NpusCount} AstraSim ranks.");
        }

        return selected;
    }

    // The reference requires data parallelism on the outermost active dimension; AstraSim's hierarchical collectives
    // assume it.
    private static void ValidateDataParallelPlacement(ResolvedNetwork resolved, int dataParallel)
    {
        if (dataParallel <= 1)
        {
            return;
        }

        var dimensions = resolved.Dimensions.ToList();
        var lastActive = dimensions.FindLastIndex(d => d.Size > 1);
        var dpIndex = dimensions.FindIndex(d => d.Parallelisms.Contains(ParallelismAxis.Dp));
        if (dpIndex < 0 || dpIndex != lastActive)
        {
            throw new InvalidOperationException(
                "AstraSim needs the data-parallel axis (dp) on the last active network dimension; move 'dp' to network.dimensions[" +
                $"{Math.Max(lastActive, 0)}].parallelisms.");
        }
    }

    private static (NetworkDimensionConfig, int) SyntheticPair(ResolvedNetwork resolved, EquatableArray<ParallelismAxis> preferred)
    {
        var base_ = resolved.Dimensions.FirstOrDefault(d => d.Parallelisms.Any(preferred.Contains))
            ?? resolved.Dimensions.FirstOrDefault(d => d.Parallelisms.Count > 0)
            ?? resolved.Dimensions[0];
        var topology = base_.Topology.IsTwoDimensional || base_.Topology.Type == TopologyType.SuperPod
            ? base_.Topology with { Type = TopologyType.Switch, TypeName = "switch", SecondaryBandwidthBytesPerSecond = null }
            : base_.Topology with { SecondaryBandwidthBytesPerSecond = null };
        return (base_ with { Size = 2, Size2D = null, Topology = topology }, 2);
    }

    private static IEnumerable<AstraNetworkDimension> Expand(NetworkDimensionConfig dimension, int npus, bool flatten2D)
    {
        var topology = dimension.Topology;
        var latencyNs = Math.Round(topology.LatencySeconds * 1e9, 3);
        double GiBps(double bytesPerSecond) => Math.Round(bytesPerSecond * topology.Util / BytesPerGiB, 6);
        var primary = GiBps(topology.BandwidthBytesPerSecond);
        var secondary = topology.SecondaryBandwidthBytesPerSecond is { } s ? GiBps(s) : primary;
        var shape = dimension.Size2D is { } sh && sh.First * sh.Second == npus ? sh : (DimensionShape?)null;
        AstraNetworkDimension Entry(string name, int count, double bandwidth) => new(name, count, null, bandwidth, latencyNs, dimension);

        switch (topology.Type)
        {
            case TopologyType.Ring:
                yield return Entry(npus <= 2 ? "FullyConnected" : "Ring", npus, primary);
                yield break;
            case TopologyType.Torus2D when flatten2D:
                yield return Entry(npus <= 2 ? "FullyConnected" : "Ring", npus, primary);
                yield break;
            case TopologyType.Mesh2D when flatten2D:
                yield return Entry("Mesh", npus, primary);
                yield break;
            case TopologyType.KingMesh2D when flatten2D:
                yield return Entry("HyperCube", npus, primary);
                yield break;
            case TopologyType.KingMesh2D:
                var king = shape ?? dimension.Size2D
                    ?? throw new InvalidOperationException($"Network dimension '{dimension.Label}' is a KingMesh2D and needs an explicit 2-D size.");
                yield return new AstraNetworkDimension("KingMesh2D", king.First * king.Second, king, primary, latencyNs, dimension);
                yield break;
            case TopologyType.Torus2D or TopologyType.Mesh2D:
                var (x, y) = shape is { } s2 ? (s2.First, s2.Second) : SquareSides(dimension, npus);
                var axisName = topology.Type == TopologyType.Torus2D ? "Ring" : "Mesh";
                yield return Entry(x <= 2 ? "Mesh" : axisName, x, primary);
                yield return Entry(y <= 2 ? "Mesh" : axisName, y, secondary);
                yield break;
            case TopologyType.FcRing2D:
                var fc = shape ?? throw new InvalidOperationException($"Network dimension '{dimension.Label}' is an FC-Ring2D and needs an explicit 2-D size.");
                if (fc.First > 1) yield return Entry("FullyConnected", fc.First, primary);
                if (fc.Second > 1) yield return Entry(fc.Second <= 2 ? "FullyConnected" : "Ring", fc.Second, secondary);
                yield break;
            case TopologyType.SuperPod:
                var pod = topology.SuperPod ?? throw new InvalidOperationException($"SuperPOD dimension '{dimension.Label}' lacks its leaf/spine settings.");
                if (npus % pod.LeafSize != 0)
                {
                    throw new InvalidOperationException($"SuperPOD dimension '{dimension.Label}': {npus} boxes are not divisible by leaf_size {pod.LeafSize}.");
                }

                var units = npus / pod.LeafSize;
                yield return Entry("Switch", pod.LeafSize, Math.Round(primary * pod.LeafSwitchesPerScalableUnit, 6));
                yield return Entry("Switch", units, Math.Round(secondary * units * pod.SpineSwitchesPerScalableUnit, 6));
                yield break;
            default:
                yield return Entry(AstraName(topology.Type), npus, primary);
                yield break;
        }
    }

    private static (int, int) SquareSides(NetworkDimensionConfig dimension, int npus)
    {
        var root = (int)Math.Round(Math.Sqrt(npus));
        return root * root == npus
            ? (root, root)
            : throw new InvalidOperationException($"Network dimension '{dimension.Label}' is 2-D with {npus} NPUs, which is not a perfect square; give an explicit 2-D size.");
    }

    private static string Describe(ResolvedNetwork resolved, Func<ParallelismAxis, int> sizeOf) =>
        string.Join(", ", GreedyOrder.Select(a => $"{a.ToString().ToLowerInvariant()}={sizeOf(a)}"));
}
