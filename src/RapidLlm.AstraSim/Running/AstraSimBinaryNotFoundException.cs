namespace RapidLlm.AstraSim.Running;

/// <summary>
/// No AstraSim binary was found for an AstraSim execution mode. The message says where it looked and how to point at a
/// binary; the command-line app maps this to exit code 2 (invalid input).
/// </summary>
public sealed class AstraSimBinaryNotFoundException : RapidLlm.Execution.BackendUnavailableException
{
    /// <summary>Creates the exception listing the <paramref name="searchedPaths"/>.</summary>
    public AstraSimBinaryNotFoundException(IReadOnlyList<string> searchedPaths)
        : base(BuildMessage(searchedPaths))
    {
        SearchedPaths = searchedPaths;
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public AstraSimBinaryNotFoundException(string message)
        : base(message)
    {
        SearchedPaths = [];
    }

    /// <summary>Creates the exception with a plain message and its cause.</summary>
    public AstraSimBinaryNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        SearchedPaths = [];
    }

    /// <summary>Creates the exception with the standard message and no searched paths.</summary>
    public AstraSimBinaryNotFoundException()
        : this([])
    {
    }

    /// <summary>Candidate paths that did not hold an executable AstraSim binary, in search order.</summary>
    public IReadOnlyList<string> SearchedPaths { get; }

    private static string BuildMessage(IReadOnlyList<string> searched) =>
        "The AstraSim binary (AstraSim_Analytical_Congestion_Aware) is missing, so the AstraSim execution modes cannot run" +
        (searched.Count > 0 ? $" (looked at: {string.Join("; ", searched)})" : string.Empty) +
        ". Point at a built binary with execution_backend.astra.binary in the hardware config, AstraSimOptions.BinaryPath " +
        $"(or .Binary(path) in UseAstraSim) in code, or the environment variable {AstraSimBinaryLocator.EnvironmentVariable} " +
        $"for RunPerf and the workbench; build it under {AstraSimBinaryLocator.DefaultRelativePath} (the astra-sim " +
        "repository's analytical network backend), or set execution_backend.model: analytical.";
}
