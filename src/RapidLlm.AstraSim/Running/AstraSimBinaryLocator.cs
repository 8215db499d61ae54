namespace RapidLlm.AstraSim.Running;

/// <summary>
/// Finds the AstraSim analytical binary in the documented order: an explicit path (the options' or the hardware
/// config's <c>execution_backend.astra.binary</c>), a fallback path (the CLI passes <see cref="EnvironmentVariable"/>),
/// then <see cref="DefaultRelativePath"/> under the given search folders (by default the application's folder and the
/// folders above it). It reads no environment variable and no working folder itself.
/// </summary>
public static class AstraSimBinaryLocator
{
    /// <summary>The environment variable apps map onto the fallback path (the reference's name).</summary>
    public const string EnvironmentVariable = "RAPID_ASTRA_SIM_BIN";

    /// <summary>Where a source build of AstraSim puts the binary, relative to a checkout's root.</summary>
    public const string DefaultRelativePath = "third_party/astra-sim/build/astra_analytical/build/bin/AstraSim_Analytical_Congestion_Aware";

    /// <summary>Returns the first existing candidate.</summary>
    /// <param name="configuredPath">An explicit path; when set it is the only candidate.</param>
    /// <param name="fallbackPath">Used when no path is configured; when set it is the only candidate.</param>
    /// <param name="searchFolders">Folders searched for <see cref="DefaultRelativePath"/>; null uses <see cref="ApplicationFolders"/>.</param>
    /// <exception cref="AstraSimBinaryNotFoundException">No candidate exists; the message lists them.</exception>
    public static string Locate(string? configuredPath, string? fallbackPath = null, IEnumerable<string>? searchFolders = null)
    {
        var candidates = Candidates(configuredPath, fallbackPath, searchFolders).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? throw new AstraSimBinaryNotFoundException(candidates);
    }

    /// <summary>As <see cref="Locate(string?, string?, IEnumerable{string}?)"/>, with the fallback read through <paramref name="environment"/>'s <see cref="EnvironmentVariable"/>.</summary>
    /// <param name="configuredPath">An explicit path.</param>
    /// <param name="environment">Looks a variable up (an app passes <c>Environment.GetEnvironmentVariable</c>).</param>
    public static string Locate(string? configuredPath, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Locate(configuredPath, environment(EnvironmentVariable));
    }

    /// <summary>Like <see cref="Locate(string?, string?, IEnumerable{string}?)"/> but returns false instead of throwing.</summary>
    /// <param name="configuredPath">An explicit path.</param>
    /// <param name="path">The binary found, or null.</param>
    /// <param name="fallbackPath">Used when no path is configured.</param>
    /// <param name="searchFolders">Folders searched for <see cref="DefaultRelativePath"/>.</param>
    public static bool TryLocate(string? configuredPath, out string? path, string? fallbackPath = null, IEnumerable<string>? searchFolders = null)
    {
        path = Candidates(configuredPath, fallbackPath, searchFolders).FirstOrDefault(File.Exists);
        return path is not null;
    }

    /// <summary>As <see cref="TryLocate(string?, out string?, string?, IEnumerable{string}?)"/>, with the fallback read through <paramref name="environment"/>.</summary>
    /// <param name="configuredPath">An explicit path.</param>
    /// <param name="path">The binary found, or null.</param>
    /// <param name="environment">Looks a variable up (an app or a test passes <c>Environment.GetEnvironmentVariable</c>).</param>
    public static bool TryLocate(string? configuredPath, out string? path, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return TryLocate(configuredPath, out path, environment(EnvironmentVariable));
    }

    /// <summary>The application's folder and every folder above it (a checkout's root is one of them for its builds).</summary>
    public static IEnumerable<string> ApplicationFolders()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            yield return folder.FullName;
        }
    }

    private static IEnumerable<string> Candidates(string? configuredPath, string? fallbackPath, IEnumerable<string>? searchFolders)
    {
        // An explicit setting is the user's intent: when it is wrong we report it rather than silently use another.
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            yield return Path.GetFullPath(configuredPath);
            yield break;
        }

        if (!string.IsNullOrWhiteSpace(fallbackPath))
        {
            yield return Path.GetFullPath(fallbackPath);
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in searchFolders ?? ApplicationFolders())
        {
            var candidate = Path.GetFullPath(Path.Combine(root, DefaultRelativePath));
            if (seen.Add(candidate))
            {
                yield return candidate;
            }
        }
    }
}
