using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RapidLlm.Configuration.Yaml;

/// <summary>
/// Builds a <see cref="YamlNode"/> tree from YamlDotNet's parser events, keeping line/column marks and
/// reporting duplicate keys instead of stopping at them.
/// </summary>
internal static class YamlTreeBuilder
{
    /// <summary>Parses the first document; returns null (with an error reported) when the text is not valid YAML.</summary>
    public static YamlNode? Build(string text, DiagnosticBag diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            return ReadNode(parser, "", anchors, diagnostics);
        }
        catch (YamlException ex)
        {
            diagnostics.Error("", (int)ex.Start.Line, (int)ex.Start.Column, null,
                "the file is not valid YAML: " + ex.Message + " (check indentation and that every section is a mapping)");
            return null;
        }
    }

    private static YamlNode ReadNode(IParser parser, string path, Dictionary<string, YamlNode> anchors, DiagnosticBag diagnostics)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target)) return target;
            throw new YamlException(alias.Start, alias.End, $"unknown alias '*{alias.Value.Value}'");
        }
        YamlNode node;
        string? anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = new YamlScalar((int)scalar.Start.Line, (int)scalar.Start.Column, scalar.Value,
                Yaml11Scalar.Resolve(scalar.Value, scalar.Style == ScalarStyle.Plain));
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
        }
        else if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode(parser, $"{path}[{items.Count}]", anchors, diagnostics));
            node = new YamlSequence((int)seqStart.Start.Line, (int)seqStart.Start.Column, items);
            anchor = seqStart.Anchor.IsEmpty ? null : seqStart.Anchor.Value;
        }
        else
        {
            var mapStart = parser.Consume<MappingStart>();
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser, path, anchors, diagnostics);
                if (keyNode is not YamlScalar key)
                    throw new YamlException(new Mark(), new Mark(), $"line {keyNode.Line}: mapping keys must be plain names");
                var childPath = path.Length == 0 ? key.Text : path + "." + key.Text;
                var value = ReadNode(parser, childPath, anchors, diagnostics);
                if (seen.TryGetValue(key.Text, out var first))
                {
                    diagnostics.Error(childPath, key.Line, key.Column, null,
                        $"duplicate key '{key.Text}' (first defined at line {first.Line}); each key may appear once");
                    continue;
                }
                seen[key.Text] = key;
                entries.Add(new(key, value));
            }
            node = new YamlMapping((int)mapStart.Start.Line, (int)mapStart.Start.Column, entries);
            anchor = mapStart.Anchor.IsEmpty ? null : mapStart.Anchor.Value;
        }
        if (anchor is not null) anchors[anchor] = node;
        return node;
    }
}
