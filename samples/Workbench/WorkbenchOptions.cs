namespace RapidLlm.Workbench;

/// <summary>
/// The workbench's settings, from the <c>Workbench</c> configuration section (appsettings.json, environment variables
/// <c>Workbench__DataDirectory</c>, or the command line: <c>--data-dir DIR</c>, <c>--astra-sim PATH</c>).
/// </summary>
public sealed class WorkbenchOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Workbench";

    /// <summary>Where runs are kept; default <c>RapidLlm/Workbench</c> under the user's local data folder.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>The AstraSim binary for the AstraSim modes; default the <c>RAPID_ASTRA_SIM_BIN</c> variable, else none.</summary>
    public string? AstraSimBinary { get; set; }

    /// <summary>Runs listed from disk, newest first; default 200.</summary>
    public int MaxSavedRuns { get; set; } = 200;

    /// <summary>Points a sweep may have; default 400.</summary>
    public int MaxSweepPoints { get; set; } = 400;

    /// <summary>Threads one search may estimate on at once; null (the default) uses every core.</summary>
    public int? MaxThreadsPerRun { get; set; }

    /// <summary>The AstraSim binary when one is configured and exists, else null.</summary>
    public string? ExistingAstraSimBinary => !string.IsNullOrWhiteSpace(AstraSimBinary) && File.Exists(AstraSimBinary) ? AstraSimBinary : null;

    /// <summary>The default data folder: <c>$XDG_DATA_HOME</c> or <c>~/.local/share</c> on Linux, <c>%LOCALAPPDATA%</c> on Windows.</summary>
    /// <returns>The path.</returns>
    public static string DefaultDataDirectory()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root)) root = Path.Combine(Path.GetTempPath(), "rapidllm-data");
        return Path.Combine(root, "RapidLlm", "Workbench");
    }
}
