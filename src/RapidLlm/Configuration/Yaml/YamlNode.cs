namespace RapidLlm.Configuration.Yaml;

/// <summary>A node of a parsed YAML document, with its position.</summary>
internal abstract class YamlNode(int line, int column)
{
    /// <summary>1-based line.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column.</summary>
    public int Column { get; } = column;

    /// <summary>Short text for messages.</summary>
    public abstract string Display { get; }
}

/// <summary>A scalar with its source text and typed value.</summary>
internal sealed class YamlScalar(int line, int column, string text, ScalarValue value) : YamlNode(line, column)
{
    public string Text { get; } = text;
    public ScalarValue Value { get; } = value;
    public override string Display => Value.Display;
}

/// <summary>A sequence.</summary>
internal sealed class YamlSequence(int line, int column, IReadOnlyList<YamlNode> items) : YamlNode(line, column)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;
    public override string Display => "[" + string.Join(", ", Items.Select(i => i.Display)) + "]";
}

/// <summary>A mapping; keys keep their order, duplicates are reported when the tree is built.</summary>
internal sealed class YamlMapping(int line, int column, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries) : YamlNode(line, column)
{
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;
    public override string Display => "{" + string.Join(", ", Entries.Select(e => e.Key.Text + ": " + e.Value.Display)) + "}";
}
