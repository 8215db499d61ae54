using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Configuration.Yaml;
using RapidLlm.Network;

namespace RapidLlm.Configuration;

/// <summary>Reads and checks the <c>network</c> section of a hardware file.</summary>
internal static class NetworkConfigReader
{
    private static readonly Dictionary<string, TopologyType> Topologies = new(StringComparer.Ordinal)
    {
        ["ring"] = TopologyType.Ring,
        ["fullyconnected"] = TopologyType.FullyConnected,
        ["fc"] = TopologyType.FullyConnected,
        ["switch"] = TopologyType.Switch,
        ["mesh"] = TopologyType.Mesh,
        ["hypercube"] = TopologyType.HyperCube,
        ["torus2d"] = TopologyType.Torus2D,
        ["mesh2d"] = TopologyType.Mesh2D,
        ["kingmesh2d"] = TopologyType.KingMesh2D,
        ["fcring2d"] = TopologyType.FcRing2D,
        ["superpod"] = TopologyType.SuperPod,
    };

    private static readonly Dictionary<string, ParallelismAxis> Axes = new(StringComparer.Ordinal)
    {
        ["tp"] = ParallelismAxis.Tp,
        ["cp"] = ParallelismAxis.Cp,
        ["ep"] = ParallelismAxis.Ep,
        ["pp"] = ParallelismAxis.Pp,
        ["dp"] = ParallelismAxis.Dp,
    };

    public static NetworkConfig? Read(MappingReader root, ParallelismConfig parallelism, bool seedSchema, ExecutionBackendConfig backend)
    {
        var n = root.Mapping("network", required: true);
        if (n is null) return null;
        var overlap = ReadOverlap(n.Mapping("overlap", required: true));
        var faults = ReadFaultyLinks(n, backend);
        var dimensionsNode = n.Require("dimensions", "a list of network dimensions");
        var dimensions = new List<NetworkDimensionConfig>();
        if (dimensionsNode is YamlSequence { Items.Count: > 0 } seq)
        {
            var sizes = TrainingAxisSizes(parallelism);
            for (var i = 0; i < seq.Items.Count; i++)
            {
                var path = $"network.dimensions[{i}]";
                if (seq.Items[i] is not YamlMapping m)
                {
                    n.Diagnostics.Error(path, seq.Items[i], "each network dimension must be a mapping with size, topology and parallelisms");
                    continue;
                }
                var dim = ReadDimension(new MappingReader(m, path, n.Diagnostics), i, sizes, seedSchema, backend);
                if (dim is not null) dimensions.Add(dim);
            }
            CheckAxesAssignedOnce(n, seq, dimensions);
            if (seedSchema) dimensions = PlaceExpertAxisBesideTensor(dimensions);
        }
        else if (dimensionsNode is not null)
        {
            n.Error("dimensions", dimensionsNode, "must be a non-empty list of dimension mappings");
        }
        n.Finish();
        return overlap is null ? null
            : new NetworkConfig(overlap, new EquatableArray<NetworkDimensionConfig>(dimensions), new EquatableArray<FaultyLink>(faults));
    }

    /// <summary>Axis sizes a file's parse uses for <c>auto</c> sizes (the training values, as the reference does).</summary>
    internal static Dictionary<ParallelismAxis, int> TrainingAxisSizes(ParallelismConfig p) => new()
    {
        [ParallelismAxis.Tp] = p.Tp,
        [ParallelismAxis.Cp] = p.Cp,
        [ParallelismAxis.Ep] = p.Train.Ep,
        [ParallelismAxis.Pp] = p.Pp,
        [ParallelismAxis.Dp] = p.Train.Dp,
    };

    private static NetworkOverlapConfig? ReadOverlap(MappingReader? o)
    {
        if (o is null) return null;
        var config = new NetworkOverlapConfig(
            o.RequiredDouble("tp_overlap", 0, 1),
            o.RequiredDouble("tp_sp_overlap", 0, 1),
            o.RequiredDouble("cp_overlap", 0, 1));
        o.Finish();
        return config;
    }

    private static List<FaultyLink> ReadFaultyLinks(MappingReader n, ExecutionBackendConfig backend)
    {
        var links = new List<FaultyLink>();
        var node = n.Get("faulty_links");
        if (node is null) return links;
        if (node is not YamlSequence seq)
        {
            n.Error("faulty_links", node, "must be a list of [src, dst, weight] entries");
            return links;
        }
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var path = $"network.faulty_links[{i}]";
            if (seq.Items[i] is not YamlSequence { Items.Count: 3 } entry)
            {
                n.Diagnostics.Error(path, seq.Items[i], "must be a three-item list [src, dst, weight]");
                continue;
            }
            var ok = ScalarConversion.TryInt(entry.Items[0], out var src, out _) & ScalarConversion.TryInt(entry.Items[1], out var dst, out _)
                & ScalarConversion.TryDouble(entry.Items[2], out var weight, out _);
            if (!ok || src < 0 || dst < 0 || weight is < 0 or > 1 || double.IsNaN(weight))
            {
                n.Diagnostics.Error(path, seq.Items[i], "endpoints must be integers >= 0 and the weight a number between 0 and 1");
                continue;
            }
            links.Add(new FaultyLink(src, dst, weight));
        }
        var fullAstra = backend.Astra is { Mode: AstraSimMode.FullHierarchical or AstraSimMode.FullFlattened };
        if (links.Count > 0 && !fullAstra)
            n.Error("faulty_links", node, "faulty links require a full AstraSim mode (execution_backend.model: astra with mode full_astrasim_hierarchical or full_astrasim_flattened)");
        return links;
    }

    private static NetworkDimensionConfig? ReadDimension(MappingReader d, int index, Dictionary<ParallelismAxis, int> sizes, bool seedSchema, ExecutionBackendConfig backend)
    {
        var id = d.String("id") ?? $"dim{index}";
        var label = d.String("label") ?? id;
        var axes = ReadAxes(d, seedSchema);
        var product = axes.Aggregate(1, (acc, a) => acc * Math.Max(1, sizes[a]));

        var topology = ReadTopology(d, index, backend);
        var (spec, size, shape) = ReadSize(d, axes, sizes, product, topology?.Type);
        var overrides = new List<CollectiveOverride>();
        var overrideKey = d.Has("collective_override") ? "collective_override" : "collectives";
        if (d.Mapping(overrideKey, required: false) is { } o)
        {
            foreach (var key in o.Keys.ToList()) overrides.Add(new CollectiveOverride(key, HardwareConfigReader.Algorithm(o, key)));
            o.Finish();
        }
        d.Get("collectives");
        d.Finish();

        if (topology?.SuperPod is { } pod && size > 0)
        {
            if (size % pod.LeafSize != 0)
            {
                var divisors = Enumerable.Range(1, size).Where(x => size % x == 0);
                d.Error("topology.leaf_size", d.Get("topology"),
                    $"SuperPOD size mismatch: the dimension has {size} boxes, which is not divisible by leaf_size {pod.LeafSize}; use one of {string.Join(", ", divisors)}");
            }
            else if (size / pod.LeafSize <= 1)
            {
                d.Error("topology.leaf_size", d.Get("topology"),
                    $"SuperPOD needs more than one scalable unit, but {size} boxes / leaf_size {pod.LeafSize} = {size / pod.LeafSize}");
            }
        }
        return topology is null ? null
            : new NetworkDimensionConfig(id, label, spec, size, shape, topology, new EquatableArray<CollectiveOverride>(overrides), new EquatableArray<ParallelismAxis>(axes));
    }

    private static List<ParallelismAxis> ReadAxes(MappingReader d, bool seedSchema)
    {
        var axes = new List<ParallelismAxis>();
        var node = d.Get("parallelisms");
        if (node is null) return axes;
        if (node is not YamlSequence seq)
        {
            d.Error("parallelisms", node, "must be a list of parallelism names (tp, cp, ep, pp, dp)");
            return axes;
        }
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var text = ScalarConversion.TextOf(seq.Items[i])?.Trim().ToLowerInvariant() ?? "";
            if (seedSchema && text == "lp") text = "pp";
            if (Axes.TryGetValue(text, out var axis))
            {
                if (!axes.Contains(axis)) axes.Add(axis);
                continue;
            }
            var hint = text == "lp" ? "; 'lp' is called 'pp' in the newest schema" : Suggestion.DidYouMean(text, Axes.Keys);
            d.Diagnostics.Error($"{d.Path}.parallelisms[{i}]", seq.Items[i], $"unknown parallelism '{text}'; allowed: tp, cp, ep, pp, dp{hint}");
        }
        return axes;
    }

    private static (DimensionSizeSpec Spec, int Size, DimensionShape? Shape) ReadSize(
        MappingReader d, List<ParallelismAxis> axes, Dictionary<ParallelismAxis, int> sizes, int product, TopologyType? type)
    {
        var auto = (DimensionSizeSpec.Auto, product, (DimensionShape?)null);
        var node = d.Get("size");
        switch (node)
        {
            case null:
                d.Missing("size", "'auto', an integer or a two-entry shape");
                return auto;
            case YamlSequence or YamlScalar { Value.Kind: ScalarKind.String }:
                return ShapeEntries(d, node) is { } entries ? ResolveShape(d, node, entries, axes, sizes, product, type) : auto;
            case YamlScalar { Value.IsNumber: true } number:
                var declared = number.Value.Float;
                if (declared != product)
                    d.Warning("size", node, $"integer sizes are ignored (as in the reference): the size is the product of the listed parallelisms, {product}");
                return (new DimensionSizeSpec(DimensionSizeKind.IgnoredInteger, declared, EquatableArray<string>.Empty), product, null);
            default:
                d.Error("size", node, "must be 'auto', an integer, or a two-entry shape such as [tp, auto]");
                return auto;
        }
    }

    /// <summary>
    /// The two entries of a 2-D size written as a list or as <c>"(a, b)"</c>; null for <c>auto</c>, and null with an
    /// error for any other text or another number of entries.
    /// </summary>
    private static List<string>? ShapeEntries(MappingReader d, YamlNode node)
    {
        List<string> entries;
        if (node is YamlSequence seq)
        {
            entries = seq.Items.Select(i => ScalarConversion.TextOf(i) ?? "").ToList();
        }
        else
        {
            var text = ((YamlScalar)node).Value.Text.Trim();
            if (!(text.StartsWith('(') && text.EndsWith(')')))
            {
                if (!text.Equals("auto", StringComparison.OrdinalIgnoreCase))
                    d.Error("size", node, "must be 'auto', an integer, or a two-entry shape such as [tp, auto]");
                return null;
            }

            entries = text[1..^1].Split(',').Select(p => p.Trim()).ToList();
        }

        if (entries.Count == 2) return entries;
        d.Error("size", node, "a 2-D size must have exactly two entries");
        return null;
    }

    /// <summary>
    /// Resolves a 2-D size's entries (integers, axis names, at most one <c>auto</c> that takes what the axes' product
    /// leaves) against the product of the listed axes; a problem keeps the product as the size and no shape.
    /// </summary>
    private static (DimensionSizeSpec Spec, int Size, DimensionShape? Shape) ResolveShape(
        MappingReader d, YamlNode node, List<string> entries, List<ParallelismAxis> axes, Dictionary<ParallelismAxis, int> sizes,
        int product, TopologyType? type)
    {
        var spec = new DimensionSizeSpec(DimensionSizeKind.TwoDimensional, null, new EquatableArray<string>(entries));
        var resolved = new int?[2];
        var autos = 0;
        for (var i = 0; i < 2; i++)
        {
            var e = entries[i].ToLowerInvariant();
            if (e == "auto") { autos++; continue; }
            if (Axes.TryGetValue(e, out var axis)) { resolved[i] = sizes[axis]; continue; }
            if (int.TryParse(e, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 1) { resolved[i] = v; continue; }
            if (double.TryParse(e, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f >= 1 && Math.Floor(f) == f) { resolved[i] = (int)f; continue; }
            d.Error("size", node, $"2-D size entry '{entries[i]}' must be an integer >= 1, a parallelism name (tp, cp, ep, pp, dp) or 'auto'");
            return (spec, product, null);
        }
        if (autos > 1)
        {
            d.Error("size", node, "a 2-D size may contain at most one 'auto' entry");
            return (spec, product, null);
        }
        var known = resolved.Where(r => r is not null).Aggregate(1, (acc, r) => acc * r!.Value);
        if (autos == 1)
        {
            if (product % known != 0)
            {
                d.Error("size", node, $"2-D size mismatch: the parallelism product {product} is not divisible by the given entry {known}");
                return (spec, product, null);
            }
            resolved[resolved[0] is null ? 0 : 1] = product / known;
        }
        else if (known != product)
        {
            d.Error("size", node, $"2-D size mismatch: shape ({entries[0]}, {entries[1]}) has product {known} but the listed parallelisms ({string.Join(", ", axes).ToLowerInvariant()}) give {product}");
            return (spec, product, null);
        }
        if (type is { } t && !(t is TopologyType.Torus2D or TopologyType.Mesh2D or TopologyType.KingMesh2D or TopologyType.FcRing2D or TopologyType.SuperPod))
            d.Warning("size", node, $"a 2-D size is given but topology {t} is not two-dimensional");
        return (spec, resolved[0]!.Value * resolved[1]!.Value, new DimensionShape(resolved[0]!.Value, resolved[1]!.Value));
    }

    private static TopologyConfig? ReadTopology(MappingReader d, int index, ExecutionBackendConfig backend)
    {
        var t = d.Mapping("topology", required: true);
        if (t is null) return null;
        var typeName = t.String("type");
        TopologyType? type = null;
        if (typeName is null) t.Missing("type", "Ring, FullyConnected/FC, Switch, Mesh, HyperCube, Torus2D, Mesh2D, KingMesh2D, FC-Ring2D or SuperPOD");
        else
        {
            var normalized = typeName.Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
            if (Topologies.TryGetValue(normalized, out var found)) type = found;
            else t.Error("type", t.Get("type"), "must be one of Ring, FullyConnected (FC), Switch, Mesh, HyperCube, Torus2D, Mesh2D, KingMesh2D, FC-Ring2D, SuperPOD"
                + Suggestion.DidYouMean(normalized, Topologies.Keys));
        }
        var twoD = type is TopologyType.Torus2D or TopologyType.Mesh2D or TopologyType.KingMesh2D or TopologyType.FcRing2D;
        if (twoD && index > 0)
            t.Error("type", t.Get("type"), $"2-D topology '{typeName}' is only allowed on the first network dimension");
        if (type is { } k && k != TopologyType.Ring && backend.Kind == ExecutionBackendKind.Analytical)
            t.Error("type", t.Get("type"), "the analytical backend supports only Ring topologies; use Ring or set execution_backend.model: astra");

        double bandwidth = 0;
        double? secondary = null;
        var bwNode = t.Require("bandwidth", "bytes per second such as '50 GB' or '400 Gb'");
        if (bwNode is YamlSequence bwSeq)
        {
            if (!(twoD || type == TopologyType.SuperPod))
                t.Error("bandwidth", bwNode, "a two-entry bandwidth is only allowed for 2-D topologies and SuperPOD");
            else if (bwSeq.Items.Count != 2)
                t.Error("bandwidth", bwNode, "a bandwidth list must have exactly two entries");
            else
            {
                bandwidth = t.ReadDouble("bandwidth", bwSeq.Items[0], 0, 0, null, exclusiveMin: true);
                secondary = t.ReadDouble("bandwidth", bwSeq.Items[1], 0, 0, null, exclusiveMin: true);
            }
        }
        else if (bwNode is not null)
        {
            bandwidth = t.ReadDouble("bandwidth", bwNode, 0, 0, null, exclusiveMin: true);
            if (type == TopologyType.SuperPod) t.Error("bandwidth", bwNode, "SuperPOD needs a two-entry bandwidth [per-GPU, total]");
        }
        var latency = t.RequiredDouble("latency", min: 0, what: "seconds");
        var util = t.Double("util", 1.0, min: 0, exclusiveMin: true);
        var energy = t.RequiredDouble("energy_per_bit", min: 0, what: "joules per bit");
        var optimizeNode = t.Get("optimize_2dmap");
        var optimize = false;
        if (optimizeNode is not null)
        {
            if (optimizeNode is YamlScalar { Value.Kind: ScalarKind.Bool } b) optimize = b.Value.Bool;
            else t.Error("optimize_2dmap", optimizeNode, "must be true or false");
        }
        if (optimize && !twoD)
            t.Error("optimize_2dmap", optimizeNode, "optimize_2dmap needs a Mesh2D, Torus2D, KingMesh2D or FC-Ring2D topology");

        SuperPodConfig? pod = null;
        if (type == TopologyType.SuperPod)
        {
            var variant = t.String("superpod_variant")?.Trim().ToLowerInvariant();
            if (variant is null) t.Missing("superpod_variant", "'h100'");
            else if (variant != "h100") t.Error("superpod_variant", t.Get("superpod_variant"), "must be 'h100'");
            pod = new SuperPodConfig(variant ?? "h100", t.Int("leaf_size", 32), t.Int("leaf_switches_per_su", 8), t.Int("spine_switches_per_su", 4));
        }
        t.Finish();
        return type is null ? null
            : new TopologyConfig(type.Value, typeName!, bandwidth, secondary, latency, util, energy, optimize, pod);
    }

    private static void CheckAxesAssignedOnce(MappingReader n, YamlSequence seq, List<NetworkDimensionConfig> dimensions)
    {
        var owner = new Dictionary<ParallelismAxis, string>();
        for (var i = 0; i < dimensions.Count; i++)
        {
            foreach (var axis in dimensions[i].Parallelisms)
            {
                if (owner.TryGetValue(axis, out var first))
                    n.Diagnostics.Error($"network.dimensions[{i}].parallelisms", seq.Items.Count > i ? seq.Items[i] : null,
                        $"parallelism '{axis.ToString().ToLowerInvariant()}' is already assigned to dimension '{first}'; each axis may use one dimension");
                else owner[axis] = dimensions[i].Label;
            }
        }
    }

    /// <summary>
    /// The seed has no expert parallelism. Listing ep beside tp (as the oracle's schema translation does) keeps
    /// seed and newest-schema files equal; ep is 1 there, so no size or link changes.
    /// </summary>
    private static List<NetworkDimensionConfig> PlaceExpertAxisBesideTensor(List<NetworkDimensionConfig> dimensions)
    {
        if (dimensions.Any(d => d.Parallelisms.Contains(ParallelismAxis.Ep))) return dimensions;
        var index = dimensions.FindIndex(d => d.Parallelisms.Contains(ParallelismAxis.Tp));
        if (index < 0) return dimensions;
        var axes = dimensions[index].Parallelisms.ToList();
        var after = axes.Contains(ParallelismAxis.Cp) ? axes.IndexOf(ParallelismAxis.Cp) : axes.IndexOf(ParallelismAxis.Tp);
        axes.Insert(after + 1, ParallelismAxis.Ep);
        var copy = dimensions.ToList();
        copy[index] = copy[index] with { Parallelisms = new EquatableArray<ParallelismAxis>(axes) };
        return copy;
    }
}
