using RapidLlm.Common;

namespace RapidLlm.AstraSim.Execution;

/// <summary>How AstraSim runs are carried out. The library reads no environment variable: an app maps its own settings
/// onto these (the CLI uses <see cref="FromEnvironment"/>).</summary>
/// <param name="OutputDirectory">Parent of the work folders (the reference's <c>output/LLM</c>); null takes the
/// simulation's <c>SimulationServices.OutputDirectory</c>, and without one a temporary folder.</param>
/// <param name="BinaryPath">Explicit binary, preferred over the hardware's <c>execution_backend.astra.binary</c>; null
/// looks at that setting, then <see cref="FallbackBinaryPath"/>, then <see cref="SearchFolders"/>.</param>
/// <param name="TimeoutSeconds">Longest one AstraSim run may take.</param>
/// <param name="PersistArtifacts">Keep traces, configs and AstraSim output under astra_hier / astra_flat instead of a
/// temporary folder.</param>
/// <param name="Attempts">Runs tried before a result without wall times is an error (the reference tries 2).</param>
/// <param name="VisualizeGraphs">Save the graphs each mode runs as DOT (and PNG when Graphviz is installed) in the output
/// directory.</param>
public sealed record AstraSimOptions(
    string? OutputDirectory = null,
    string? BinaryPath = null,
    double TimeoutSeconds = 3600,
    bool PersistArtifacts = false,
    int Attempts = 2,
    bool VisualizeGraphs = false)
{
    /// <summary>Environment variable the CLI maps onto <see cref="PersistArtifacts"/>.</summary>
    public const string PersistArtifactsVariable = "RAPID_PERSIST_ASTRASIM_ARTIFACTS";

    /// <summary>Environment variable the CLI maps onto <see cref="VisualizeGraphs"/>.</summary>
    public const string VisualizeGraphsVariable = "RAPID_VISUALIZE_GRAPHS";

    /// <summary>
    /// The binary used when neither <see cref="BinaryPath"/> nor the hardware names one (the CLI passes
    /// RAPID_ASTRA_SIM_BIN); null skips to <see cref="SearchFolders"/>.
    /// </summary>
    public string? FallbackBinaryPath { get; init; }

    /// <summary>
    /// Folders searched for <see cref="Running.AstraSimBinaryLocator.DefaultRelativePath"/> as a last resort; null (the
    /// default) searches the application's folder and its parents.
    /// </summary>
    public EquatableArray<string>? SearchFolders { get; init; }

    /// <summary>
    /// The CLI's options: persistence, visualisation and the fallback binary read from the variables the reference reads
    /// (<see cref="PersistArtifactsVariable"/>, <see cref="VisualizeGraphsVariable"/>, RAPID_ASTRA_SIM_BIN), and the
    /// working folder searched before the application's.
    /// </summary>
    /// <param name="outputDirectory">Parent of the work folders.</param>
    /// <param name="environment">Looks a variable up (<c>Environment.GetEnvironmentVariable</c> in an app).</param>
    /// <param name="workingDirectory">The app's working folder, searched first for the default binary; null skips it.</param>
    /// <returns>The options.</returns>
    public static AstraSimOptions FromEnvironment(string? outputDirectory, Func<string, string?> environment, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var folders = new List<string>();
        if (workingDirectory is not null) folders.Add(workingDirectory);
        folders.AddRange(Running.AstraSimBinaryLocator.ApplicationFolders());
        return new AstraSimOptions(outputDirectory,
            PersistArtifacts: IsTruthy(environment(PersistArtifactsVariable)),
            VisualizeGraphs: IsTruthy(environment(VisualizeGraphsVariable)))
        {
            FallbackBinaryPath = environment(Running.AstraSimBinaryLocator.EnvironmentVariable) is { Length: > 0 } binary ? binary : null,
            SearchFolders = new EquatableArray<string>(folders),
        };
    }

    /// <summary>The reference's reading of a boolean environment variable (true unless unset, "", 0, false or no).</summary>
    /// <param name="value">The variable's value.</param>
    public static bool IsTruthy(string? value) =>
        value is not null && value.Trim().ToLowerInvariant() is not ("" or "0" or "false" or "no");
}
