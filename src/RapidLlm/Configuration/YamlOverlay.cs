using YamlDotNet.RepresentationModel;

namespace RapidLlm.Configuration;

/// <summary>
/// Applies a YAML overlay to a base configuration so a data row or a sweep point can
/// patch a shipped YAML file: mappings merge key by key, a list of mappings merges item by item on the <c>id</c> key
/// (items without a match are appended), and anything else replaces the base value.
/// </summary>
internal static class YamlOverlay
{
    /// <summary>Merges <paramref name="overlayYaml"/> into <paramref name="baseYaml"/> and returns the merged text.</summary>
    /// <param name="baseYaml">The base document (a mapping).</param>
    /// <param name="overlayYaml">The overlay document (a mapping); empty text leaves the base unchanged.</param>
    /// <returns>The merged YAML text.</returns>
    /// <exception cref="FormatException">Either document is not a YAML mapping.</exception>
    public static string Merge(string baseYaml, string overlayYaml)
    {
        ArgumentNullException.ThrowIfNull(baseYaml);
        ArgumentNullException.ThrowIfNull(overlayYaml);
        if (string.IsNullOrWhiteSpace(overlayYaml)) return baseYaml;
        var target = ReadMapping(baseYaml, "base");
        var overlay = ReadMapping(overlayYaml, "overlay");
        MergeMapping(target, overlay);
        return Write(target);
    }

    /// <summary>
    /// The overlay that turns <paramref name="baseYaml"/> into <paramref name="changedYaml"/> under <see cref="Merge"/>:
    /// every value of the changed document that the base lacks or holds differently (mappings compared key by key,
    /// lists of mappings item by item on <c>id</c>). Keys the changed document drops are not represented.
    /// </summary>
    /// <param name="baseYaml">The base document (a mapping).</param>
    /// <param name="changedYaml">The changed document (a mapping).</param>
    /// <returns>The overlay text; empty when nothing differs.</returns>
    /// <exception cref="FormatException">Either document is not a YAML mapping.</exception>
    public static string Difference(string baseYaml, string changedYaml)
    {
        ArgumentNullException.ThrowIfNull(baseYaml);
        ArgumentNullException.ThrowIfNull(changedYaml);
        var diff = DifferenceOf(ReadMapping(baseYaml, "base"), ReadMapping(changedYaml, "changed"));
        return diff is null ? "" : Write(diff);
    }

    /// <summary>
    /// The scalar at a dotted path (<c>a.b.c</c>; a segment <c>name[id]</c> picks the list item of <c>name</c> whose
    /// <c>id</c> is <c>id</c>), or null when there is none.
    /// </summary>
    /// <param name="yaml">The document (a mapping).</param>
    /// <param name="path">The dotted path.</param>
    /// <returns>The scalar's text, or null.</returns>
    public static string? ValueAt(string yaml, string path)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(path);
        YamlNode? node = ReadMapping(yaml, "document");
        foreach (var segment in path.Split('.'))
        {
            var open = segment.IndexOf('[', StringComparison.Ordinal);
            var key = open < 0 ? segment : segment[..open];
            node = node is YamlMappingNode m ? Child(m, key) : null;
            if (open >= 0)
            {
                var id = segment[(open + 1)..^1];
                node = (node as YamlSequenceNode)?.Children.OfType<YamlMappingNode>()
                    .FirstOrDefault(item => (Child(item, "id") as YamlScalarNode)?.Value == id);
            }

            if (node is null) return null;
        }

        return (node as YamlScalarNode)?.Value;
    }

    private static YamlMappingNode? DifferenceOf(YamlMappingNode target, YamlMappingNode changed)
    {
        var result = new YamlMappingNode();
        foreach (var (key, value) in changed.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw new FormatException("Keys must be scalars.");
            YamlNode? delta = (Child(target, name), value) switch
            {
                (null, _) => value,
                (YamlMappingNode a, YamlMappingNode b) => DifferenceOf(a, b),
                (YamlSequenceNode a, YamlSequenceNode b) when AllMappings(a) && AllMappings(b) && HaveIds(b) => ListDifference(a, b),
                (YamlScalarNode a, YamlScalarNode b) => a.Value == b.Value ? null : value,
                var (a, b) => Text(a!) == Text(b) ? null : value,
            };
            if (delta is not null) result.Children[new YamlScalarNode(name)] = delta;
        }

        return result.Children.Count == 0 ? null : result;
    }

    private static bool HaveIds(YamlSequenceNode list) => list.Children.All(item => Child((YamlMappingNode)item, "id") is YamlScalarNode);

    private static YamlSequenceNode? ListDifference(YamlSequenceNode target, YamlSequenceNode changed)
    {
        var items = new List<YamlNode>();
        foreach (var item in changed.Children.Cast<YamlMappingNode>())
        {
            var id = ((YamlScalarNode)Child(item, "id")!).Value;
            var match = target.Children.OfType<YamlMappingNode>().FirstOrDefault(t => (Child(t, "id") as YamlScalarNode)?.Value == id);
            if (match is null)
            {
                items.Add(item);
                continue;
            }

            if (DifferenceOf(match, item) is not { } delta) continue;
            var patch = new YamlMappingNode { { "id", new YamlScalarNode(id) } };
            foreach (var (k, v) in delta.Children) patch.Children[k] = v;
            items.Add(patch);
        }

        return items.Count == 0 ? null : new YamlSequenceNode(items);
    }

    private static string Text(YamlNode node)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>
    /// Rewrites a hardware document so it runs on the analytical backend: <c>execution_backend.model</c> becomes
    /// <c>analytical</c> and every network dimension's topology becomes <c>Ring</c>, the only topology the analytical
    /// collectives model. Used for reference files that ask for AstraSim, which this library does not ship.
    /// </summary>
    /// <param name="hardwareYaml">The hardware document.</param>
    /// <param name="changed">True when anything had to be rewritten.</param>
    /// <returns>The rewritten text (the input itself when nothing changed).</returns>
    public static string ForceAnalytical(string hardwareYaml, out bool changed)
    {
        ArgumentNullException.ThrowIfNull(hardwareYaml);
        var root = ReadMapping(hardwareYaml, "hardware");
        changed = false;
        if (Child(root, "execution_backend") is YamlMappingNode backend)
        {
            if (Child(backend, "model") is not YamlScalarNode { Value: var model } || !string.Equals(model, "analytical", StringComparison.OrdinalIgnoreCase))
            {
                Set(backend, "model", new YamlScalarNode("analytical"));
                changed = true;
            }
        }

        if (Child(root, "network") is YamlMappingNode network && Child(network, "dimensions") is YamlSequenceNode dimensions)
        {
            foreach (var dimension in dimensions.OfType<YamlMappingNode>())
            {
                if (Child(dimension, "topology") is not YamlMappingNode topology) continue;
                if (Child(topology, "type") is YamlScalarNode { Value: var type } && string.Equals(type, "Ring", StringComparison.OrdinalIgnoreCase)) continue;
                Set(topology, "type", new YamlScalarNode("Ring"));
                changed = true;
            }
        }

        return changed ? Write(root) : hardwareYaml;
    }

    private static YamlMappingNode ReadMapping(string text, string what)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text)) stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            throw new FormatException($"The {what} YAML document is not a mapping.");
        return mapping;
    }

    private static string Write(YamlMappingNode root)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    // Keys are matched by their text: a parsed key and a key built here differ in tag, so node equality would miss.
    private static YamlNode? KeyNode(YamlMappingNode mapping, string key) =>
        mapping.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: var v } && v == key);

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        KeyNode(mapping, key) is { } node ? mapping.Children[node] : null;

    private static void Set(YamlMappingNode mapping, string key, YamlNode value) =>
        mapping.Children[KeyNode(mapping, key) ?? new YamlScalarNode(key)] = value;

    private static void MergeMapping(YamlMappingNode target, YamlMappingNode overlay)
    {
        foreach (var (key, value) in overlay.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw new FormatException("Overlay keys must be scalars.");
            var existing = Child(target, name);
            Set(target, name, (existing, value) switch
            {
                (YamlMappingNode baseMap, YamlMappingNode overlayMap) => MergedMapping(baseMap, overlayMap),
                (YamlSequenceNode baseList, YamlSequenceNode overlayList) when AllMappings(baseList) && AllMappings(overlayList)
                    => MergedById(baseList, overlayList),
                _ => value,
            });
        }
    }

    private static YamlMappingNode MergedMapping(YamlMappingNode target, YamlMappingNode overlay)
    {
        MergeMapping(target, overlay);
        return target;
    }

    private static bool AllMappings(YamlSequenceNode list) => list.Children.All(item => item is YamlMappingNode);

    private static YamlSequenceNode MergedById(YamlSequenceNode baseList, YamlSequenceNode overlayList)
    {
        // Items keep the base order; overlay items whose id is new go to the end, as the reference harness does.
        var items = baseList.Children.Cast<YamlMappingNode>().ToList();
        foreach (var patch in overlayList.Children.Cast<YamlMappingNode>())
        {
            var id = (Child(patch, "id") as YamlScalarNode)?.Value;
            var match = id is null ? null : items.FirstOrDefault(item => (Child(item, "id") as YamlScalarNode)?.Value == id);
            if (match is null) items.Add(patch);
            else MergeMapping(match, patch);
        }

        return new YamlSequenceNode(items.Cast<YamlNode>());
    }
}
