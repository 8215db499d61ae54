using System.Globalization;
using System.Text;

namespace RapidLlm.Validation;

/// <summary>
/// Sets scalar values of a hardware YAML file in place, keeping its layout and comments (the calibrator writes fitted
/// values into the shipped presets this way). Paths are dotted keys with <c>name[id]</c> for list items, as
/// <see cref="FitParameter.Path"/>; the file must use block style for the mappings on the path.
/// </summary>
public static class HardwareFileValues
{
    /// <summary>Replaces the value of every path in <paramref name="values"/>.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="values">New value per path.</param>
    /// <returns>The text with the values replaced.</returns>
    /// <exception cref="InvalidOperationException">A path is not found as a block-style scalar.</exception>
    public static string Set(string yaml, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(values);
        var pending = new HashSet<string>(values.Keys, StringComparer.Ordinal);
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var stack = new List<(int Indent, string Segment)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var content = line.TrimStart(' ');
            if (content.Length == 0 || content.StartsWith('#')) continue;
            var indent = line.Length - content.Length;
            if (content.StartsWith("- ", StringComparison.Ordinal))
            {
                // A list item: it belongs to the nearest key above with a smaller indent; "- id: x" names it.
                while (stack.Count > 0 && stack[^1].Indent >= indent && !stack[^1].Segment.EndsWith(']')) stack.RemoveAt(stack.Count - 1);
                while (stack.Count > 0 && stack[^1].Indent > indent) stack.RemoveAt(stack.Count - 1);
                if (stack.Count == 0) continue;
                var parent = stack[^1].Segment;
                var open = parent.IndexOf('[', StringComparison.Ordinal);
                var name = open < 0 ? parent : parent[..open];
                var item = content[2..].Trim();
                var id = item.StartsWith("id:", StringComparison.Ordinal) ? Value(item[3..]) : null;
                stack[^1] = (stack[^1].Indent, id is null ? name : $"{name}[{id}]");
                content = item;
                indent += 2;
                if (id is not null) continue;
            }

            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            var key = content[..colon].Trim();
            while (stack.Count > 0 && stack[^1].Indent >= indent) stack.RemoveAt(stack.Count - 1);
            var rest = content[(colon + 1)..];
            var path = string.Join('.', stack.Select(s => s.Segment).Append(key));
            if (Value(rest) is null)
            {
                stack.Add((indent, key));
                continue;
            }

            if (!values.TryGetValue(path, out var value)) continue;
            var comment = rest.IndexOf(" #", StringComparison.Ordinal);
            var text = value.ToString("G6", CultureInfo.InvariantCulture).Replace("E-0", "e-", StringComparison.Ordinal)
                .Replace("E+0", "e+", StringComparison.Ordinal).Replace('E', 'e');
            var tail = comment >= 0 ? rest[comment..] : "";
            var start = line[..(line.Length - content.Length)] + content[..(colon + 1)] + " " + text;
            // Keep the comment column where it was when the new value fits.
            if (tail.Length > 0)
            {
                var column = line.Length - content.Length + colon + 1 + comment;
                start = start.Length < column ? start.PadRight(column) : start;
            }

            lines[i] = start + tail;
            pending.Remove(path);
        }

        if (pending.Count > 0)
            throw new InvalidOperationException($"Not found as block-style scalars: {string.Join(", ", pending.Order(StringComparer.Ordinal))}.");
        return new StringBuilder().AppendJoin('\n', lines).ToString();
    }

    // The scalar after "key:" with any comment removed, or null when the line opens a block.
    private static string? Value(string rest)
    {
        var hash = rest.IndexOf(" #", StringComparison.Ordinal);
        var text = (hash >= 0 ? rest[..hash] : rest).Trim();
        if (text.StartsWith('#')) text = "";
        return text.Length == 0 ? null : text;
    }
}
