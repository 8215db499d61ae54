using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RapidLlm.Tests.Robustness;

/// <summary>
/// A seeded mutator of YAML configuration text, the way a careless or hostile user edits a file: values set to 0, −1,
/// 1e300, NaN, ∞, denormals and huge integers, keys deleted, renamed and retyped, anchors and aliases (alias bombs
/// included), truncation, stray bytes, a second document and deep nesting. The same seed gives the same mutations.
/// </summary>
internal sealed partial class ConfigMutator(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Values no config should hold, and values that are merely huge.</summary>
    private static readonly string[] HostileValues =
    [
        "0", "-1", "1", "2", "3", "7", "0.5", "1.5", "1e300", "-1e300", ".nan", ".inf", "-.inf", "+.inf", "1e-320", "4.9e-324",
        "2147483647", "2147483648", "-2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "99999999999999999999999", "65536", "16777216", "1048576", "1e400", "nan", "inf", "'1e400'", "\"50 GBs\"", "50 Gbps",
        "50GB/s", "99999999999999999999999 GB", "9999999999999 TB", "-5 GB", "0 GB", "1 KB", "abc", "''", "true", "false",
        "null", "~", "0x7fffffff", "0b1", "017", "1_000", "1e-9", "[]", "{}", "[1, 2]", "{a: 1}", "!!binary AAAA", "\"\\u0085\"",
        "100 Gb", "3 TB", "12 GiB", "0.0", "-0.0", "1e-30", "1e30", "123456789012", "2.5e9", "-1e-300",
    ];

    private static readonly string[] StrayTexts =
    [
        "\u0085", "\t", "\0", "\u2028", "\uFEFF", "%", "&", "*", "!", "|", ">", "{", "[", "\"", "'", ":", "#", "-", "? ", "@", "`",
        "\r", "\\", "]", "}", ",", "&a *a", "!!str ", "<<: *", "\uFFFD", "\u00e9",
    ];

    [GeneratedRegex(@"^(?<indent>\s*(?:-\s+)?)(?<key>[A-Za-z_][\w.\-]*)\s*:\s*(?<value>[^#\s][^#]*?)\s*(?:#.*)?$")]
    private static partial Regex KeyValueLine();

    [GeneratedRegex(@"^(?<indent>\s*(?:-\s+)?)(?<key>[A-Za-z_][\w.\-]*)\s*:")]
    private static partial Regex KeyLine();

    /// <summary>Applies one to three random mutations; returns the text and what was done.</summary>
    public (string Text, string Description) Mutate(string text)
    {
        var notes = new List<string>();
        var roll = _random.Next(100);
        var count = roll < 70 ? 1 : roll < 92 ? 2 : 3;
        for (var i = 0; i < count; i++)
        {
            text = MutateOnce(text, out var note);
            notes.Add(note);
        }

        return (text, string.Join("; ", notes));
    }

    private string MutateOnce(string text, out string note)
    {
        var lines = text.Split('\n').ToList();
        var roll = _random.Next(100);
        switch (roll)
        {
            case < 27: return ReplaceValue(lines, Pick(HostileValues), out note);
            case < 52: return ScaleValue(lines, out note);
            case < 58: return DeleteLine(lines, out note);
            case < 63: return RenameKey(lines, out note);
            case < 66: return DuplicateLine(lines, out note);
            case < 70: return SwapValues(lines, out note);
            case < 73: return AnchorAndAlias(lines, out note);
            case < 75: return AliasBomb(lines, out note);
            case < 78: return DeepNesting(lines, out note);
            case < 82:
            {
                var cut = _random.Next(text.Length + 1);
                note = $"truncated at {cut}";
                return text[..cut];
            }
            case < 89:
            {
                var at = _random.Next(text.Length + 1);
                var stray = Pick(StrayTexts);
                note = $"inserted U+{(int)stray[0]:X4} at {at}";
                return text[..at] + stray + text[at..];
            }
            case < 92:
            {
                note = "second document";
                return text + "\n---\n" + Pick(["model_param: {mode: LLM}", "[", "a: b\n  c: d", "sw_param: 1", ""]) + "\n";
            }
            case < 96: return ReplaceValue(lines, new string('9', 1 + _random.Next(400)) + Pick(["", " GB", " Gb", ".5"]), out note);
            default: return ReplaceValue(lines, "\"" + new string('x', 1000 + _random.Next(20000)) + "\"", out note);
        }
    }

    private string ReplaceValue(List<string> lines, string value, out string note)
    {
        var index = PickLine(lines, KeyValueLine());
        if (index < 0) { note = "no value to replace"; return string.Join('\n', lines); }
        var m = KeyValueLine().Match(lines[index]);
        lines[index] = $"{m.Groups["indent"].Value}{m.Groups["key"].Value}: {value}";
        note = $"{m.Groups["key"].Value} = {Short(value)}";
        return string.Join('\n', lines);
    }

    private string ScaleValue(List<string> lines, out string note)
    {
        var index = PickLine(lines, KeyValueLine(), l => double.TryParse(KeyValueLine().Match(l).Groups["value"].Value.Split(' ')[0],
            NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (index < 0) return ReplaceValue(lines, "65536", out note);
        var m = KeyValueLine().Match(lines[index]);
        var parts = m.Groups["value"].Value.Split(' ', 2);
        var number = double.Parse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture);
        var factor = Pick([2.0, 4.0, 16.0, 1024.0, 65536.0, 1 << 24, 1e6, 1e12, 0.5, 1.0 / 1024, 1e-12, -1.0]);
        var scaled = number * factor;
        var text = number == Math.Floor(number) && Math.Abs(scaled) < 1e18 && scaled == Math.Floor(scaled)
            ? ((long)scaled).ToString(CultureInfo.InvariantCulture)
            : scaled.ToString("R", CultureInfo.InvariantCulture);
        if (parts.Length > 1) text += " " + parts[1];
        lines[index] = $"{m.Groups["indent"].Value}{m.Groups["key"].Value}: {text}";
        note = $"{m.Groups["key"].Value} x {factor.ToString("G4", CultureInfo.InvariantCulture)} = {Short(text)}";
        return string.Join('\n', lines);
    }

    private string DeleteLine(List<string> lines, out string note)
    {
        var index = PickLine(lines, KeyLine());
        if (index < 0) { note = "nothing to delete"; return string.Join('\n', lines); }
        note = "deleted '" + Short(lines[index].Trim()) + "'";
        lines.RemoveAt(index);
        return string.Join('\n', lines);
    }

    private string RenameKey(List<string> lines, out string note)
    {
        var index = PickLine(lines, KeyLine());
        if (index < 0) { note = "no key to rename"; return string.Join('\n', lines); }
        var m = KeyLine().Match(lines[index]);
        var key = m.Groups["key"].Value;
        var typo = key.Length > 2 && _random.Next(2) == 0
            ? key.Remove(1 + _random.Next(key.Length - 1), 1)
            : key + Pick(["s", "_", "2", "x"]);
        lines[index] = m.Groups["indent"].Value + typo + lines[index][(m.Groups["key"].Index + key.Length)..];
        note = $"renamed {key} to {typo}";
        return string.Join('\n', lines);
    }

    private string DuplicateLine(List<string> lines, out string note)
    {
        var index = PickLine(lines, KeyLine());
        if (index < 0) { note = "nothing to duplicate"; return string.Join('\n', lines); }
        lines.Insert(index, lines[index]);
        note = "duplicated '" + Short(lines[index].Trim()) + "'";
        return string.Join('\n', lines);
    }

    private string SwapValues(List<string> lines, out string note)
    {
        var a = PickLine(lines, KeyValueLine());
        var b = PickLine(lines, KeyValueLine());
        if (a < 0 || b < 0 || a == b) { note = "no values to swap"; return string.Join('\n', lines); }
        var ma = KeyValueLine().Match(lines[a]);
        var mb = KeyValueLine().Match(lines[b]);
        lines[a] = $"{ma.Groups["indent"].Value}{ma.Groups["key"].Value}: {mb.Groups["value"].Value}";
        lines[b] = $"{mb.Groups["indent"].Value}{mb.Groups["key"].Value}: {ma.Groups["value"].Value}";
        note = $"swapped {ma.Groups["key"].Value} and {mb.Groups["key"].Value}";
        return string.Join('\n', lines);
    }

    private string AnchorAndAlias(List<string> lines, out string note)
    {
        var source = PickLine(lines, KeyLine());
        var target = PickLine(lines, KeyLine());
        if (source < 0 || target < 0) { note = "no anchor place"; return string.Join('\n', lines); }
        var ms = KeyLine().Match(lines[source]);
        lines[source] = lines[source].Insert(ms.Length, " &anchor");
        var mt = KeyLine().Match(lines[target]);
        var alias = _random.Next(4) == 0 ? "*missing" : "*anchor";
        lines[target] = $"{mt.Groups["indent"].Value}{mt.Groups["key"].Value}: {alias}";
        note = $"{mt.Groups["key"].Value} = {alias} (anchor on {ms.Groups["key"].Value})";
        return string.Join('\n', lines);
    }

    private string AliasBomb(List<string> lines, out string note)
    {
        var levels = 4 + _random.Next(7);
        var width = 4 + _random.Next(7);
        var bomb = new StringBuilder();
        bomb.Append("bomb0: &b0 [x, x, x, x, x, x, x, x, x]\n");
        for (var level = 1; level < levels; level++)
        {
            bomb.Append($"bomb{level}: &b{level} [");
            bomb.Append(string.Join(", ", Enumerable.Repeat($"*b{level - 1}", width)));
            bomb.Append("]\n");
        }

        var index = PickLine(lines, KeyValueLine());
        if (index >= 0)
        {
            var m = KeyValueLine().Match(lines[index]);
            lines[index] = $"{m.Groups["indent"].Value}{m.Groups["key"].Value}: *b{levels - 1}";
        }

        note = $"alias bomb {levels} levels of {width}";
        return bomb + string.Join('\n', lines);
    }

    private string DeepNesting(List<string> lines, out string note)
    {
        var depth = Pick([64, 1000, 10_000, 100_000]);
        var flow = _random.Next(3) switch
        {
            0 => new string('[', depth) + new string(']', depth),
            1 => string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth),
            _ => new string('[', depth),
        };
        note = $"nesting {depth} deep";
        return ReplaceValue(lines, flow, out _);
    }

    private int PickLine(List<string> lines, Regex pattern, Func<string, bool>? also = null)
    {
        var candidates = new List<int>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (pattern.IsMatch(lines[i]) && (also is null || also(lines[i]))) candidates.Add(i);
        }

        return candidates.Count == 0 ? -1 : candidates[_random.Next(candidates.Count)];
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static string Short(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
