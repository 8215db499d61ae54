namespace RapidLlm.AstraSim.Execution;

/// <summary>How AstraSim runs are carried out.</summary>
/// <param name="OutputDirectory">Parent of the work folders (the reference's <c>output/LLM</c>).</param>
/// <param name="BinaryPath">Explicit binary; null follows the locator's order (config, RAPID_ASTRA_SIM_BIN, default path).</param>
/// <param name="TimeoutSeconds">Longest one AstraSim run may take.</param>
/// <param name="PersistArtifacts">Keep traces, configs and AstraSim output under astra_hier / astra_flat instead of a
/// temporary folder; <see cref="FromEnvironment"/> reads RAPID_PERSIST_ASTRASIM_ARTIFACTS.</param>
/// <param name="Attempts">Runs tried before a result without wall times is an error (the reference tries 2).</param>
/// <param name="VisualizeGraphs">Save the graphs each mode runs as DOT (and PNG when Graphviz is installed) in the output
/// directory; <see cref="FromEnvironment"/> reads RAPID_VISUALIZE_GRAPHS.</param>
internal sealed record AstraSimOptions(
    string OutputDirectory,
    string? BinaryPath = null,
    double TimeoutSeconds = 3600,
    bool PersistArtifacts = false,
    int Attempts = 2,
    bool VisualizeGraphs = false)
{
    /// <summary>Options with persistence taken from RAPID_PERSIST_ASTRASIM_ARTIFACTS (truthy unless "", 0, false, no).</summary>
    public static AstraSimOptions FromEnvironment(string outputDirectory, string? binaryPath = null) =>
        new(outputDirectory, binaryPath,
            PersistArtifacts: IsTruthy(Environment.GetEnvironmentVariable("RAPID_PERSIST_ASTRASIM_ARTIFACTS")),
            VisualizeGraphs: IsTruthy(Environment.GetEnvironmentVariable("RAPID_VISUALIZE_GRAPHS")));

    /// <summary>The reference's reading of a boolean environment variable.</summary>
    public static bool IsTruthy(string? value) =>
        value is not null && value.Trim().ToLowerInvariant() is not ("" or "0" or "false" or "no");
}
