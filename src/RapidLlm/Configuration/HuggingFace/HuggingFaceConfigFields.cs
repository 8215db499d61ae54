using System.Globalization;
using System.Text.Json;
using RapidLlm.Configuration;

namespace RapidLlm.HuggingFace;

/// <summary>
/// Typed lookups in a <c>config.json</c> with the importer's fallbacks: the first present, non-null key wins, and
/// multimodal configs' <c>language_config</c> is consulted after the top level. Problems are collected, not thrown.
/// </summary>
internal sealed class HuggingFaceConfigFields(JsonElement root, string source)
{
    private readonly List<ConfigDiagnostic> _problems = [];

    public string? String(string key) => Find(key) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    public string? Raw(string key) => Find(key)?.GetRawText();

    /// <summary>
    /// The first of <paramref name="keys"/> present as an integer, or null when none is present. A present non-integer is
    /// reported and yields 1, so the caller does not also report the key as missing.
    /// </summary>
    public int? Int(params string[] keys)
    {
        foreach (var key in keys)
        {
            if (Find(key) is not { } e) continue;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value)) return value;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue) return (int)d;
            if (e.ValueKind == JsonValueKind.String && int.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
            Error(key, e.GetRawText(), "must be an integer");
            return 1;
        }

        return null;
    }

    /// <summary>
    /// A size given either as one integer (a square) or as a two-element [height, width] list, or null when absent.
    /// Anything else is reported and yields (1, 1).
    /// </summary>
    public (int Height, int Width)? IntPair(string key)
    {
        if (Find(key) is not { } e) return null;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var side)) return (side, side);
        if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 2
            && e[0].ValueKind == JsonValueKind.Number && e[0].TryGetInt32(out var h)
            && e[1].ValueKind == JsonValueKind.Number && e[1].TryGetInt32(out var w)) return (h, w);
        Error(key, e.GetRawText(), "must be an integer or a [height, width] pair of integers");
        return (1, 1);
    }

    /// <summary>The number of entries of an object-valued key (e.g. <c>id2label</c>), or null when absent or not an object.</summary>
    public int? EntryCount(string key) => Find(key) is { ValueKind: JsonValueKind.Object } e ? e.EnumerateObject().Count() : null;

    /// <summary>The strings of an array-valued key (e.g. <c>architectures</c>); empty when absent.</summary>
    public IReadOnlyList<string> Strings(string key) => Find(key) is { ValueKind: JsonValueKind.Array } e
        ? e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
        : [];

    public bool? Bool(params string[] keys)
    {
        foreach (var key in keys)
        {
            if (Find(key) is not { } e) continue;
            return e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => e.TryGetInt32(out var n) && n != 0,
                JsonValueKind.String => Flag(key),
                _ => null,
            };
        }

        return null;
    }

    /// <summary>True for <c>true</c>, 1 and the strings 1/true/yes/y (the reference's notion of an enabled flag).</summary>
    public bool Flag(string key) => Find(key) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.Number } e => e.TryGetInt32(out var n) && n == 1,
        { ValueKind: JsonValueKind.String } e => e.GetString()!.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "y",
        _ => false,
    };

    /// <summary>Reports a missing key and returns a placeholder so collection can go on.</summary>
    public int Missing(string key, string what)
    {
        Error(key, null, "missing: " + what);
        return 1;
    }

    public void Error(string key, string? value, string message) =>
        _problems.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, source, key, 0, 0, value, message));

    public void ThrowIfErrors()
    {
        if (_problems.Count > 0) throw new ConfigurationException(_problems.ToList());
    }

    private JsonElement? Find(string key)
    {
        if (root.TryGetProperty(key, out var top) && top.ValueKind != JsonValueKind.Null) return top;
        if (root.TryGetProperty("language_config", out var language) && language.ValueKind == JsonValueKind.Object
            && language.TryGetProperty(key, out var nested) && nested.ValueKind != JsonValueKind.Null) return nested;
        return null;
    }
}
