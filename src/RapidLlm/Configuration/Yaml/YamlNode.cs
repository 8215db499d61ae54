using System.Text;

namespace RapidLlm.Configuration.Yaml;

/// <summary>A node of a parsed YAML document, with its position.</summary>
internal abstract class YamlNode(int line, int column)
{
    /// <summary>1-based line.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column.</summary>
    public int Column { get; } = column;

    /// <summary>
    /// Short text for messages, at most about <see cref="YamlLimits.MaxQuotedLength"/> characters: a value shared
    /// through aliases is never expanded beyond that.
    /// </summary>
    public string Display
    {
        get
        {
            if (this is YamlScalar scalar) return YamlLimits.Quote(scalar.Value.Display);
            var text = new StringBuilder();
            AppendDisplay(text, YamlLimits.MaxQuotedLength);
            return text.Length > YamlLimits.MaxQuotedLength ? text.ToString(0, YamlLimits.MaxQuotedLength) + "…" : text.ToString();
        }
    }

    /// <summary>Appends this node's text, stopping once <paramref name="text"/> is longer than <paramref name="limit"/>.</summary>
    internal abstract void AppendDisplay(StringBuilder text, int limit);
}

/// <summary>A scalar with its source text and typed value.</summary>
internal sealed class YamlScalar(int line, int column, string text, ScalarValue value) : YamlNode(line, column)
{
    public string Text { get; } = text;
    public ScalarValue Value { get; } = value;

    internal override void AppendDisplay(StringBuilder text, int limit)
    {
        AppendBounded(text, Value.Display, limit);
    }

    /// <summary>Appends at most enough of <paramref name="value"/> to pass <paramref name="limit"/>.</summary>
    internal static void AppendBounded(StringBuilder text, string value, int limit)
    {
        var room = Math.Max(0, limit + 1 - text.Length);
        text.Append(value, 0, Math.Min(value.Length, room));
    }
}

/// <summary>A sequence.</summary>
internal sealed class YamlSequence(int line, int column, IReadOnlyList<YamlNode> items) : YamlNode(line, column)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    internal override void AppendDisplay(StringBuilder text, int limit)
    {
        text.Append('[');
        for (var i = 0; i < Items.Count && text.Length <= limit; i++)
        {
            if (i > 0) text.Append(", ");
            Items[i].AppendDisplay(text, limit);
        }

        text.Append(']');
    }
}

/// <summary>A mapping; keys keep their order, duplicates are reported when the tree is built.</summary>
internal sealed class YamlMapping(int line, int column, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries) : YamlNode(line, column)
{
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;

    internal override void AppendDisplay(StringBuilder text, int limit)
    {
        text.Append('{');
        for (var i = 0; i < Entries.Count && text.Length <= limit; i++)
        {
            if (i > 0) text.Append(", ");
            YamlScalar.AppendBounded(text, Entries[i].Key.Text, limit);
            text.Append(": ");
            Entries[i].Value.AppendDisplay(text, limit);
        }

        text.Append('}');
    }
}
