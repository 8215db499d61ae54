using System.Globalization;
using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>Makes <see cref="ConfigDiagnostic"/>s for options set in code, so builder and YAML problems read alike.</summary>
internal static class BuilderDiagnostics
{
    /// <summary>The source name builder problems carry.</summary>
    public const string Source = "LlmSimulationBuilder";

    public static ConfigDiagnostic Error(string path, object? value, string message) =>
        new(DiagnosticSeverity.Error, Source, path, 0, 0, value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture), message);
}
