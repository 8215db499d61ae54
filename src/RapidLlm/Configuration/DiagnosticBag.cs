using RapidLlm.Configuration.Yaml;

namespace RapidLlm.Configuration;

/// <summary>Collects the problems of one file so all of them can be reported together.</summary>
internal sealed class DiagnosticBag(string source)
{
    private readonly List<ConfigDiagnostic> _items = [];

    public string Source { get; } = source;

    public IReadOnlyList<ConfigDiagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The YAML paths that have an error.</summary>
    public IEnumerable<string> ErrorPaths =>
        _items.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.YamlPath).Concat(_covered);

    /// <summary>True when <paramref name="path"/> has an error (or one explained by another message).</summary>
    public bool HasErrorAt(string path) => _covered.Contains(path) || _items.Any(d => d.Severity == DiagnosticSeverity.Error && d.YamlPath == path);

    /// <summary>
    /// Replaces a reported problem with one that explains it (a missing key by the misspelt key next to it); the old
    /// path still counts as failed, so checks that use its value stay quiet.
    /// </summary>
    public void Replace(ConfigDiagnostic old, ConfigDiagnostic replacement)
    {
        var index = _items.IndexOf(old);
        if (index >= 0) _items[index] = replacement;
        else _items.Add(replacement);
        _covered.Add(old.YamlPath);
    }

    private readonly HashSet<string> _covered = new(StringComparer.Ordinal);

    public void Error(string path, int line, int column, string? value, string message) =>
        _items.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, Source, path, line, column, value, message));

    public void Warning(string path, int line, int column, string? value, string message) =>
        _items.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, Source, path, line, column, value, message));

    public void Error(string path, YamlNode? node, string message) =>
        Error(path, node?.Line ?? 0, node?.Column ?? 0, node?.Display, message);

    public void Warning(string path, YamlNode? node, string message) =>
        Warning(path, node?.Line ?? 0, node?.Column ?? 0, node?.Display, message);

    /// <summary>Throws when errors were found; otherwise returns the warnings.</summary>
    public Common.EquatableArray<ConfigDiagnostic> ThrowIfErrors()
    {
        if (HasErrors) throw new ConfigurationException(_items.OrderBy(d => d.Severity == DiagnosticSeverity.Error ? 0 : 1).ToList());
        return new Common.EquatableArray<ConfigDiagnostic>(_items);
    }
}
