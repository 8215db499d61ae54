namespace RapidLlm.AstraSim.Running;

/// <summary>Everything one AstraSim run reads.</summary>
/// <param name="WorkloadName">What the run simulates, for messages ("transformer forward", "all_reduce 8.00MB", ...).</param>
/// <param name="WorkloadPrefix">ET prefix; the files are <c>&lt;prefix&gt;.&lt;rank&gt;.et</c>.</param>
/// <param name="NpusCount">Ranks; a successful run reports a wall time for each.</param>
/// <param name="SystemJsonPath">System configuration.</param>
/// <param name="NetworkYamlPath">Analytical network configuration.</param>
/// <param name="RemoteMemoryJsonPath">Remote-memory configuration.</param>
/// <param name="CommGroupsJsonPath">Communicator groups, or null when every collective spans all ranks.</param>
/// <param name="WorkingDirectory">AstraSim writes <c>log/</c> here; concurrent runs need distinct folders.</param>
internal sealed record AstraSimInvocation(
    string WorkloadName,
    string WorkloadPrefix,
    int NpusCount,
    string SystemJsonPath,
    string NetworkYamlPath,
    string RemoteMemoryJsonPath,
    string? CommGroupsJsonPath,
    string WorkingDirectory)
{
    /// <summary>The binary's arguments, in the reference's order.</summary>
    public IReadOnlyList<string> Arguments()
    {
        var arguments = new List<string>
        {
            $"--workload-configuration={WorkloadPrefix}",
            $"--system-configuration={SystemJsonPath}",
            $"--network-configuration={NetworkYamlPath}",
            $"--remote-memory-configuration={RemoteMemoryJsonPath}",
        };
        if (CommGroupsJsonPath is not null && File.Exists(CommGroupsJsonPath))
        {
            arguments.Add($"--comm-group-configuration={CommGroupsJsonPath}");
        }

        return arguments;
    }

    /// <summary>The input files whose bytes decide the result (the content-cache key).</summary>
    public IEnumerable<string> InputFiles()
    {
        var prefixFolder = Path.GetDirectoryName(Path.GetFullPath(WorkloadPrefix)) ?? ".";
        var prefixName = Path.GetFileName(WorkloadPrefix);
        for (var rank = 0; rank < NpusCount; rank++)
        {
            yield return Path.Combine(prefixFolder, $"{prefixName}.{rank}.et");
        }

        yield return SystemJsonPath;
        yield return NetworkYamlPath;
        yield return RemoteMemoryJsonPath;
        if (CommGroupsJsonPath is not null && File.Exists(CommGroupsJsonPath))
        {
            yield return CommGroupsJsonPath;
        }
    }
}
