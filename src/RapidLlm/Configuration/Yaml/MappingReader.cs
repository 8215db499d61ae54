using System.Globalization;

namespace RapidLlm.Configuration.Yaml;

/// <summary>
/// Reads the keys of one YAML mapping, reporting every problem (missing, wrong type, out of range) to the
/// <see cref="DiagnosticBag"/> and returning a fallback value so reading can go on. <see cref="Finish"/> reports
/// keys that were never asked for, with the closest known key.
/// </summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, KeyValuePair<YamlScalar, YamlNode>> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigDiagnostic> _missing = new(StringComparer.Ordinal);

    public MappingReader(YamlMapping? node, string path, DiagnosticBag diagnostics, YamlNode? position = null)
    {
        Node = node;
        Path = path;
        Diagnostics = diagnostics;
        Position = node ?? position;
        if (node is null) return;
        foreach (var entry in node.Entries) _entries[entry.Key.Text] = entry;
    }

    public YamlMapping? Node { get; }
    public string Path { get; }
    public DiagnosticBag Diagnostics { get; }

    /// <summary>Where messages about missing keys point.</summary>
    public YamlNode? Position { get; }

    public IEnumerable<string> Keys => _entries.Keys;

    public string PathOf(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool Has(string key)
    {
        _asked.Add(key);
        return _entries.TryGetValue(key, out var e) && !IsNull(e.Value);
    }

    /// <summary>The value of a key, or null when it is absent or YAML null.</summary>
    public YamlNode? Get(string key)
    {
        _asked.Add(key);
        return _entries.TryGetValue(key, out var e) && !IsNull(e.Value) ? e.Value : null;
    }

    public YamlNode? Require(string key, string? what = null)
    {
        var node = Get(key);
        if (node is null) Missing(key, what);
        return node;
    }

    public void Missing(string key, string? what = null)
    {
        Diagnostics.Error(PathOf(key), Position?.Line ?? 0, Position?.Column ?? 0, null,
            $"'{key}' is required{(what is null ? "" : " (" + what + ")")}");
        _missing[key] = Diagnostics.Items[^1];
    }

    /// <summary>True when reading <paramref name="key"/> reported an error (so checks that use its value are skipped).</summary>
    public bool Failed(string key) => Diagnostics.HasErrorAt(PathOf(key));

    public void Error(string key, YamlNode? node, string message) => Diagnostics.Error(PathOf(key), node, message);

    public void Warning(string key, YamlNode? node, string message) => Diagnostics.Warning(PathOf(key), node, message);

    public int Int(string key, int fallback, int? min = 1) => ReadInt(key, Get(key), fallback, min);

    public int RequiredInt(string key, int? min = 1, string? what = null) => ReadInt(key, Require(key, what), min ?? 1, min);

    public int? OptionalInt(string key, int? min = 1)
    {
        var node = Get(key);
        return node is null ? null : ReadInt(key, node, min ?? 1, min);
    }

    private int ReadInt(string key, YamlNode? node, int fallback, int? min)
    {
        if (node is null) return fallback;
        if (!ScalarConversion.TryInt(node, out var value, out var problem))
        {
            Error(key, node, problem);
            return fallback;
        }
        if (min is { } m && value < m)
        {
            Error(key, node, $"must be >= {m}");
            return fallback;
        }
        return value;
    }

    public double Double(string key, double fallback, double? min = null, double? max = null, bool exclusiveMin = false) =>
        ReadDouble(key, Get(key), fallback, min, max, exclusiveMin);

    public double RequiredDouble(string key, double? min = null, double? max = null, bool exclusiveMin = false, string? what = null) =>
        ReadDouble(key, Require(key, what), min ?? 0, min, max, exclusiveMin);

    public double? OptionalDouble(string key, double? min = null, bool exclusiveMin = false)
    {
        var node = Get(key);
        return node is null ? null : ReadDouble(key, node, min ?? 0, min, null, exclusiveMin);
    }

    public double ReadDouble(string key, YamlNode? node, double fallback, double? min, double? max, bool exclusiveMin)
    {
        if (node is null) return fallback;
        if (!ScalarConversion.TryDouble(node, out var value, out var problem))
        {
            Error(key, node, problem);
            return fallback;
        }
        if (!double.IsFinite(value))
        {
            Error(key, node, "must be a finite number" + (min is { } least ? (exclusiveMin ? " > " : " >= ") + F(least) : ""));
            return fallback;
        }
        if ((min is { } lo && (exclusiveMin ? value <= lo : value < lo)) || (max is { } hi && value > hi))
        {
            var range = (min, max) switch
            {
                ({ } a, { } b) => $"between {F(a)} and {F(b)}",
                ({ } a, null) => (exclusiveMin ? "> " : ">= ") + F(a),
                (null, { } b) => "<= " + F(b),
                _ => "a number",
            };
            Error(key, node, "must be " + range);
            return fallback;
        }
        return value;
    }

    public bool Bool(string key, bool fallback) => ReadBool(key, Get(key), fallback);

    public bool RequiredBool(string key) => ReadBool(key, Require(key), false);

    private bool ReadBool(string key, YamlNode? node, bool fallback)
    {
        if (node is null) return fallback;
        if (ScalarConversion.TryBool(node, out var value, out var problem)) return value;
        Error(key, node, problem);
        return fallback;
    }

    public string? String(string key)
    {
        var node = Get(key);
        if (node is null) return null;
        if (node is YamlScalar) return ScalarConversion.TextOf(node);
        Error(key, node, "expected a single value, not a " + (node is YamlMapping ? "mapping" : "list"));
        return null;
    }

    public string? RequiredString(string key, string? what = null)
    {
        if (Require(key, what) is null) return null;
        return String(key);
    }

    /// <summary>Reads one of a fixed set of names (case-insensitive); reports the allowed names otherwise.</summary>
    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> options, bool required, string? allowedText = null) where T : struct
    {
        var node = required ? Require(key) : Get(key);
        if (node is null) return null;
        var text = String(key);
        if (text is not null && options.TryGetValue(text.Trim().ToLowerInvariant(), out var value)) return value;
        var allowed = allowedText ?? string.Join(", ", options.Keys.Select(k => "'" + k + "'"));
        Error(key, node, $"must be one of {allowed}{(text is null ? "" : Suggestion.DidYouMean(text, options.Keys))}");
        return null;
    }

    /// <summary>A child mapping; reports a problem when the value is not a mapping (or is missing and required).</summary>
    public MappingReader? Mapping(string key, bool required)
    {
        var node = required ? Require(key, "a mapping") : Get(key);
        if (node is null) return null;
        if (node is YamlMapping m) return new MappingReader(m, PathOf(key), Diagnostics);
        Error(key, node, "must be a mapping of keys to values");
        return null;
    }

    /// <summary>Reports keys that were never read, except those accepted as ignored.</summary>
    public void Finish(IEnumerable<string>? ignored = null, IEnumerable<string>? noEffect = null)
    {
        var ignoredSet = new HashSet<string>(ignored ?? [], StringComparer.Ordinal);
        var noEffectSet = new HashSet<string>(noEffect ?? [], StringComparer.Ordinal);
        foreach (var (name, entry) in _entries)
        {
            if (_asked.Contains(name) || ignoredSet.Contains(name)) continue;
            if (noEffectSet.Contains(name))
            {
                Diagnostics.Warning(PathOf(name), entry.Key.Line, entry.Key.Column, entry.Value.Display,
                    "accepted for compatibility but has no effect in RapidLlm");
                continue;
            }
            var known = _asked.Concat(ignoredSet).Concat(noEffectSet).ToList();
            // A misspelt required key is one mistake: the unknown key's message replaces "'x' is required".
            var meant = _missing.Keys.FirstOrDefault(k => Suggestion.DidYouMean(name, [k]).Length > 0);
            if (meant is not null)
            {
                Diagnostics.Replace(_missing[meant], new ConfigDiagnostic(DiagnosticSeverity.Error, Diagnostics.Source, PathOf(name), entry.Key.Line, entry.Key.Column,
                    null, $"unknown key '{YamlLimits.Quote(name)}'; did you mean '{meant}'? ('{meant}' is required)"));
                _missing.Remove(meant);
                continue;
            }

            Diagnostics.Error(PathOf(name), entry.Key.Line, entry.Key.Column, null,
                $"unknown key '{YamlLimits.Quote(name)}'{Suggestion.DidYouMean(YamlLimits.Quote(name), known)}");
        }
    }

    private static bool IsNull(YamlNode node) => node is YamlScalar { Value.Kind: ScalarKind.Null };

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
