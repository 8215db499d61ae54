using RapidLlm.Configuration.Yaml;

namespace RapidLlm.Configuration;

/// <summary>Collects the problems of one file so all of them can be reported together.</summary>
internal sealed class DiagnosticBag(string source)
{
    private readonly List<ConfigDiagnostic> _items = [];

    public string Source { get; } = source;

    public IReadOnlyList<ConfigDiagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == DiagnosticSeverity.Error);

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
