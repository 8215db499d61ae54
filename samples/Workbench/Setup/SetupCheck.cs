using RapidLlm.AstraSim;
using RapidLlm.AstraSim.Execution;
using RapidLlm.Configuration;
using RapidLlm.Simulation;

namespace RapidLlm.Workbench.Setup;

/// <summary>One problem of a setup, placed in its file at its YAML path.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="File">The file it belongs to.</param>
/// <param name="YamlPath">The path, e.g. <c>parallelism.tp</c>; empty for the whole file.</param>
/// <param name="Value">The offending value as written, or null.</param>
/// <param name="Message">The library's sentence.</param>
/// <param name="Line">1-based line, or 0.</param>
public sealed record FieldProblem(DiagnosticSeverity Severity, ConfigFile File, string YamlPath, string? Value, string Message, int Line = 0)
{
    /// <summary>An error (the run cannot start).</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The problem as one line: path, value and message.</summary>
    /// <returns>Text.</returns>
    public override string ToString() =>
        (YamlPath.Length > 0 ? YamlPath + (Value is null ? "" : $" = {Value}") + ": " : "") + Message;
}

/// <summary>
/// The validator's verdict on a setup: every problem of both files and their combination (from the library's loaders
/// and <c>LlmSimulationBuilder.Build()</c>), and the validated simulation when there is no error.
/// </summary>
/// <param name="Problems">Errors first, then warnings.</param>
/// <param name="Simulation">The simulation, or null when an error stops it.</param>
public sealed record SetupCheck(IReadOnlyList<FieldProblem> Problems, LlmSimulation? Simulation)
{
    /// <summary>True when the setup can run.</summary>
    public bool CanRun => Simulation is not null;

    /// <summary>The problems shown next to a field.</summary>
    /// <param name="setup">The setup (for the field's path in its schema).</param>
    /// <param name="field">The field.</param>
    /// <returns>Its problems.</returns>
    public IEnumerable<FieldProblem> For(RunSetup setup, FormField field)
    {
        var path = setup.PathOf(field);
        return path is null ? [] : Problems.Where(p => p.File == field.File && Matches(p.YamlPath, path));
    }

    /// <summary>The problems no shown field holds (cross-file checks on other keys, syntax errors).</summary>
    /// <param name="setup">The setup.</param>
    /// <returns>The rest.</returns>
    public IEnumerable<FieldProblem> Unplaced(RunSetup setup)
    {
        var shape = setup.Shape;
        var shown = FormFields.All.Where(f => f.AppliesTo(shape)).ToList();
        return Problems.Where(p => !shown.Any(f => f.File == p.File && setup.PathOf(f) is { } path && Matches(p.YamlPath, path)));
    }

    private static bool Matches(string problemPath, string fieldPath) =>
        string.Equals(problemPath, fieldPath, StringComparison.Ordinal);
}

/// <summary>Validates setups with the library (no rules of its own).</summary>
public static class SetupValidator
{
    /// <summary>Checks both files and their combination, as <c>LlmSimulation.FromYaml</c> would.</summary>
    /// <param name="setup">The setup.</param>
    /// <param name="astraSimBinary">The AstraSim binary, or null when none is configured.</param>
    /// <returns>Every problem, and the simulation when it can run.</returns>
    public static SetupCheck Check(RunSetup setup, string? astraSimBinary)
    {
        var problems = new List<FieldProblem>();
        var hardware = Load(setup.Hardware, ConfigFile.Hardware, setup.HardwareName, problems,
            text => HardwareConfig.LoadYamlText(text, setup.HardwareName));
        var model = Load(setup.Model, ConfigFile.Model, setup.ModelName, problems,
            text => ModelConfig.LoadYamlText(text, setup.ModelName));
        if (hardware is null || model is null) return Done(problems, null);

        var astra = hardware.ExecutionBackend.Kind == ExecutionBackendKind.AstraSim;
        if (astra && astraSimBinary is null)
        {
            problems.Add(new FieldProblem(DiagnosticSeverity.Error, ConfigFile.Hardware, "execution_backend.model", "astra",
                "AstraSim modes need the AstraSim binary: start the workbench with --astra-sim PATH (or set RAPID_ASTRA_SIM_BIN), or choose the analytical backend"));
            return Done(problems, null);
        }

        var builder = LlmSimulation.Create().Hardware(hardware).Model(model);
        // The hardware's own AstraSim settings (mode, network backend, collectives, system options) run with the workbench's binary.
        if (astra) builder.UseAstraSim(new AstraSimOptions(BinaryPath: astraSimBinary));

        try
        {
            var simulation = builder.Build();
            Add(problems, simulation.Warnings, setup);
            return Done(problems, simulation);
        }
        catch (ConfigurationException e)
        {
            Add(problems, e.Problems, setup);
            return Done(problems, null);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            problems.Add(new FieldProblem(DiagnosticSeverity.Error, ConfigFile.Hardware, "", null, e.Message));
            return Done(problems, null);
        }
    }

    private static T? Load<T>(YamlDocument document, ConfigFile file, string name, List<FieldProblem> problems, Func<string, ConfigLoadResult<T>> load)
        where T : class
    {
        if (document.SyntaxError is { } syntax)
        {
            problems.Add(new FieldProblem(DiagnosticSeverity.Error, file, "", null, $"{name} is not valid YAML: {syntax}"));
            return null;
        }

        try
        {
            var result = load(document.Text);
            problems.AddRange(result.Warnings.Select(w => Place(w, file)));
            return result.Value;
        }
        catch (ConfigurationException e)
        {
            problems.AddRange(e.Problems.Select(p => Place(p, file)));
            return null;
        }
    }

    private static void Add(List<FieldProblem> problems, IEnumerable<ConfigDiagnostic> diagnostics, RunSetup setup)
    {
        foreach (var d in diagnostics)
        {
            var file = d.Source == setup.ModelName || d.Source == "<model>" || d.YamlPath.StartsWith("model_param", StringComparison.Ordinal)
                || d.YamlPath.StartsWith("inference_param", StringComparison.Ordinal)
                ? ConfigFile.Model
                : ConfigFile.Hardware;
            var problem = Place(d, file);
            // A warning of a file's loader may come back from Build(); show it once.
            if (!problems.Any(p => p.File == problem.File && p.YamlPath == problem.YamlPath && p.Message == problem.Message)) problems.Add(problem);
        }
    }

    private static FieldProblem Place(ConfigDiagnostic d, ConfigFile file) =>
        new(d.Severity, file, d.YamlPath, d.Value, d.Message, d.Line);

    private static SetupCheck Done(List<FieldProblem> problems, LlmSimulation? simulation) =>
        new(problems.OrderBy(p => p.IsError ? 0 : 1).ToList(), simulation);
}
