namespace RapidLlm.AstraSim.Running;

/// <summary>
/// Finds the AstraSim analytical binary in the documented order: the hardware config's
/// <c>execution_backend.astra.binary</c>, the <see cref="EnvironmentVariable"/> variable, then
/// <see cref="DefaultRelativePath"/> under the working directory or any folder above the application.
/// </summary>
internal static class AstraSimBinaryLocator
{
    /// <summary>Environment variable holding the binary's path.</summary>
    public const string EnvironmentVariable = "RAPID_ASTRA_SIM_BIN";

    /// <summary>Where the binary sits in a checkout with AstraSim built in place.</summary>
    public const string DefaultRelativePath = "third_party/astra-sim/build/astra_analytical/build/bin/AstraSim_Analytical_Congestion_Aware";

    /// <summary>The binary's full path.</summary>
    /// <param name="configuredPath">The hardware config's binary path, or null.</param>
    /// <param name="environment">Reads an environment variable; defaults to the process environment.</param>
    /// <exception cref="AstraSimBinaryNotFoundException">No candidate is an existing file.</exception>
    public static string Locate(string? configuredPath, Func<string, string?>? environment = null)
    {
        var candidates = Candidates(configuredPath, environment ?? Environment.GetEnvironmentVariable).ToList();
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new AstraSimBinaryNotFoundException(candidates);
    }

    /// <summary>True when <see cref="Locate"/> would succeed.</summary>
    public static bool TryLocate(string? configuredPath, out string? path, Func<string, string?>? environment = null)
    {
        path = Candidates(configuredPath, environment ?? Environment.GetEnvironmentVariable).FirstOrDefault(File.Exists);
        return path is not null;
    }

    private static IEnumerable<string> Candidates(string? configuredPath, Func<string, string?> environment)
    {
        // An explicit setting is the user's intent: when it is wrong we report it rather than silently use another.
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            yield return Path.GetFullPath(configuredPath);
            yield break;
        }

        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            yield return Path.GetFullPath(fromEnvironment);
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in Roots())
        {
            var candidate = Path.GetFullPath(Path.Combine(root, DefaultRelativePath));
            if (seen.Add(candidate))
            {
                yield return candidate;
            }
        }
    }

    private static IEnumerable<string> Roots()
    {
        yield return Directory.GetCurrentDirectory();
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            yield return folder.FullName;
        }
    }
}
