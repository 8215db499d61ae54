using System.Text;

namespace RapidLlm.Configuration;

/// <summary>How serious a configuration problem is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The value is accepted but probably not what was meant.</summary>
    Warning,
    /// <summary>The configuration cannot be used.</summary>
    Error,
}

/// <summary>One problem found in a configuration file.</summary>
/// <param name="Severity">Warning or error.</param>
/// <param name="Source">File name or source name given to the loader.</param>
/// <param name="YamlPath">Path of the offending node, e.g. <c>network.dimensions[1].topology.bandwidth</c>.</param>
/// <param name="Line">1-based line of the node, or 0 when unknown.</param>
/// <param name="Column">1-based column of the node, or 0 when unknown.</param>
/// <param name="Value">The offending value as written, or null when the key is missing.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record ConfigDiagnostic(
    DiagnosticSeverity Severity,
    string Source,
    string YamlPath,
    int Line,
    int Column,
    string? Value,
    string Message)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Source);
        if (Line > 0) text.Append(':').Append(Line).Append(':').Append(Column);
        text.Append(": ").Append(Severity == DiagnosticSeverity.Error ? "error" : "warning");
        if (YamlPath.Length > 0) text.Append(" at ").Append(Yaml.YamlLimits.Quote(YamlPath, 200));
        else if (Line > 0) text.Append(" at the top level");
        if (Value is not null) text.Append(" (value '").Append(Yaml.YamlLimits.Quote(Value, 2 * Yaml.YamlLimits.MaxQuotedLength)).Append("')");
        text.Append(": ").Append(Yaml.YamlLimits.Quote(Message, 1000));
        return text.ToString();
    }
}
