namespace RapidLlm.Configuration;

/// <summary>Thrown when configuration files have errors; lists every problem found, not just the first.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="problems">All problems (errors first are not required).</param>
    public ConfigurationException(IReadOnlyList<ConfigDiagnostic> problems)
        : base(BuildMessage(problems)) => Problems = problems;

    /// <summary>Every problem found, errors and warnings.</summary>
    public IReadOnlyList<ConfigDiagnostic> Problems { get; }

    /// <summary>Only the errors.</summary>
    public IEnumerable<ConfigDiagnostic> Errors => Problems.Where(p => p.Severity == DiagnosticSeverity.Error);

    private static string BuildMessage(IReadOnlyList<ConfigDiagnostic> problems)
    {
        var errors = problems.Count(p => p.Severity == DiagnosticSeverity.Error);
        var lines = problems.Select(p => "  - " + p);
        return $"Invalid configuration ({errors} error{(errors == 1 ? "" : "s")}):" + Environment.NewLine
            + string.Join(Environment.NewLine, lines);
    }
}
