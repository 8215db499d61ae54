using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace RapidLlm.Workbench.Setup;

/// <summary>
/// A YAML text that the form reads and writes at dotted paths (<c>parallelism.train.dp</c>,
/// <c>network.dimensions[0].topology.bandwidth</c>). Setting a value that is already in the text replaces just that
/// scalar, so comments and layout survive; a new key is added to its mapping and the document is re-emitted.
/// Immutable: <see cref="With"/> returns a new document.
/// </summary>
public sealed partial class YamlDocument
{
    private readonly YamlMappingNode? _root;

    private YamlDocument(string text, YamlMappingNode? root, string? syntaxError)
    {
        Text = text;
        _root = root;
        SyntaxError = syntaxError;
    }

    /// <summary>The YAML text.</summary>
    public string Text { get; }

    /// <summary>Why the text is not a YAML mapping, or null when it is.</summary>
    public string? SyntaxError { get; }

    /// <summary>Parses a YAML text; a syntax error is kept in <see cref="SyntaxError"/> rather than thrown.</summary>
    /// <param name="text">The YAML.</param>
    /// <returns>The document.</returns>
    public static YamlDocument Parse(string text)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0) return new YamlDocument(text, null, "the text is empty");
            if (stream.Documents[0].RootNode is not YamlMappingNode root) return new YamlDocument(text, null, "the top level is not a mapping of keys");
            return new YamlDocument(text, root, null);
        }
        catch (YamlException e)
        {
            return new YamlDocument(text, null, $"line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
    }

    /// <summary>True when the path leads to a node (any kind).</summary>
    /// <param name="path">Dotted path.</param>
    /// <returns>Whether it exists.</returns>
    public bool Has(string path) => Find(path) is not null;

    /// <summary>The scalar at a path as written, or null when it is missing or not a scalar.</summary>
    /// <param name="path">Dotted path.</param>
    /// <returns>The text of the value.</returns>
    public string? Get(string path) => Find(path) is YamlScalarNode s ? s.Value : null;

    /// <summary>The node at a path as YAML text (a scalar's value, or a flow-style list such as <c>[224, 224]</c>).</summary>
    /// <param name="path">Dotted path.</param>
    /// <returns>The text, or null when missing.</returns>
    public string? GetText(string path) => Find(path) switch
    {
        YamlScalarNode s => s.Value,
        YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode) =>
            "[" + string.Join(", ", seq.Children.Select(c => ((YamlScalarNode)c).Value)) + "]",
        _ => null,
    };

    /// <summary>A copy with the value at <paramref name="path"/> set to <paramref name="value"/> (written as a plain scalar when it is safe, else quoted).</summary>
    /// <param name="path">Dotted path; missing mappings on the way are created.</param>
    /// <param name="value">The value's text, e.g. <c>8</c>, <c>true</c>, <c>80 GB</c>, <c>[224, 224]</c>.</param>
    /// <returns>The new document.</returns>
    public YamlDocument With(string path, string value)
    {
        if (_root is null) return this;
        var node = Find(path);
        if (node is YamlScalarNode s && s.End.Index > s.Start.Index)
        {
            var start = (int)s.Start.Index;
            var end = (int)s.End.Index;
            return Parse(Text[..start] + Render(value, s.Style, isFlowContext: IsInFlow(start)) + Text[end..]);
        }

        if (node is YamlSequenceNode { Style: SequenceStyle.Flow } seq && seq.Start.Index < seq.End.Index)
            return Parse(Text[..(int)seq.Start.Index] + Render(value, ScalarStyle.Plain, false) + Text[(int)seq.End.Index..]);

        // The key is missing (or holds a block structure): add it and re-emit the whole document.
        var copy = Parse(Text);
        if (copy._root is null) return this;
        var parent = copy._root;
        var parts = Split(path);
        for (var i = 0; i < parts.Count - 1; i++)
        {
            var (key, index) = parts[i];
            if (!parent.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                if (index is not null) return this;
                child = new YamlMappingNode();
                parent.Children[new YamlScalarNode(key)] = child;
            }

            if (index is { } k)
            {
                if (child is not YamlSequenceNode list || k >= list.Children.Count) return this;
                child = list.Children[k];
            }

            if (child is not YamlMappingNode mapping) return this;
            parent = mapping;
        }

        var last = parts[^1];
        if (last.Index is not null) return this;
        parent.Children[new YamlScalarNode(last.Key)] = ValueNode(value);
        var stream = new YamlStream(new YamlDotNet.RepresentationModel.YamlDocument(copy._root));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        if (text.EndsWith("...\n", StringComparison.Ordinal)) text = text[..^4];
        else if (text.EndsWith("...\r\n", StringComparison.Ordinal)) text = text[..^5];
        return Parse(text);
    }

    private YamlNode? Find(string path)
    {
        if (_root is null) return null;
        YamlNode current = _root;
        foreach (var (key, index) in Split(path))
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child)) return null;
            current = child;
            if (index is { } i)
            {
                if (current is not YamlSequenceNode list || i >= list.Children.Count) return null;
                current = list.Children[i];
            }
        }

        return current;
    }

    private static List<(string Key, int? Index)> Split(string path)
    {
        var parts = new List<(string, int?)>();
        foreach (var part in path.Split('.'))
        {
            var m = IndexedKey().Match(part);
            parts.Add(m.Success ? (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) : (part, null));
        }

        return parts;
    }

    // Inside a flow mapping ({dp: 4, ep: 1}) a comma or brace would end the value, so such values are quoted.
    private bool IsInFlow(int index)
    {
        var depth = 0;
        var lineStart = Text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        for (var i = lineStart; i < index; i++)
        {
            if (Text[i] is '{' or '[') depth++;
            else if (Text[i] is '}' or ']') depth--;
        }

        return depth > 0;
    }

    private static string Render(string value, ScalarStyle originalStyle, bool isFlowContext)
    {
        if (value.StartsWith('[') && value.EndsWith(']')) return value;
        // A quoted string stays quoted ("training"), but a number typed over it is written as a number.
        var quoted = (originalStyle is ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted && !IsNumberOrBoolean(value)) || NeedsQuotes(value, isFlowContext);
        return quoted ? "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static bool IsNumberOrBoolean(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || value is "true" or "false" or "null";

    private static bool NeedsQuotes(string value, bool isFlowContext) =>
        value.Length == 0
        || value != value.Trim()
        || value.IndexOfAny(['#', ':', '\n', '\r', '\t', '"', '\'', '&', '*', '!', '|', '>', '%', '@', '`']) >= 0
        || "-?{[,".Contains(value[0], StringComparison.Ordinal)
        || (isFlowContext && value.IndexOfAny([',', '{', '}', '[', ']']) >= 0);

    private static YamlNode ValueNode(string value)
    {
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            var items = value[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return new YamlSequenceNode(items.Select(i => (YamlNode)new YamlScalarNode(i))) { Style = SequenceStyle.Flow };
        }

        return new YamlScalarNode(value) { Style = NeedsQuotes(value, false) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain };
    }

    [GeneratedRegex(@"^(.+)\[(\d+)\]$")]
    private static partial Regex IndexedKey();
}
