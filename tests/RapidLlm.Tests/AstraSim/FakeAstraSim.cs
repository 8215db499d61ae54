using RapidLlm.AstraSim.Running;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// A stand-in for the AstraSim binary: a shell script that replays a captured AstraSim output, counts its calls in
/// <c>calls.txt</c> and can print nothing for its first N calls or sleep, so the runner is tested without AstraSim.
/// </summary>
internal sealed class FakeAstraSim : IDisposable
{
    public FakeAstraSim(string capturedOutput, int silentCalls = 0, int sleepSeconds = 0, int exitCode = 0)
    {
        Folder = Path.Combine(Path.GetTempPath(), "fake-astra-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        var output = Path.Combine(Folder, "output.txt");
        File.WriteAllText(output, capturedOutput);
        BinaryPath = Path.Combine(Folder, "AstraSim_Analytical_Congestion_Aware");
        var calls = Path.Combine(Folder, "calls.txt");
        File.WriteAllText(BinaryPath, $$"""
            #!/bin/sh
            n=$(cat '{{calls}}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{{calls}}'
            echo "$@" > "$PWD/argv.txt"
            sleep {{sleepSeconds}}
            if [ $n -le {{silentCalls}} ]; then echo 1; exit {{exitCode}}; fi
            cat '{{output}}'
            exit {{exitCode}}
            """.Replace("\r", string.Empty));
        if (OperatingSystem.IsWindows())
        {
            SkipReason.Skip("The fake AstraSim binary is a POSIX shell script.");
        }

        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(BinaryPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Folder { get; }

    public string BinaryPath { get; }

    public int Calls => File.Exists(Path.Combine(Folder, "calls.txt")) ? int.Parse(File.ReadAllText(Path.Combine(Folder, "calls.txt")).Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>An invocation whose input files exist (empty traces) in a fresh working folder.</summary>
    public AstraSimInvocation Invocation(int npus, string name = "test workload")
    {
        var work = Path.Combine(Folder, "work-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        for (var rank = 0; rank < npus; rank++)
        {
            File.WriteAllText(Path.Combine(work, $"llm_graph.{rank}.et"), $"rank {rank}");
        }

        foreach (var file in new[] { "system.json", "network.yml", "memory.json" })
        {
            File.WriteAllText(Path.Combine(work, file), file);
        }

        return new AstraSimInvocation(name, Path.Combine(work, "llm_graph"), npus, Path.Combine(work, "system.json"),
            Path.Combine(work, "network.yml"), Path.Combine(work, "memory.json"), null, work);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
