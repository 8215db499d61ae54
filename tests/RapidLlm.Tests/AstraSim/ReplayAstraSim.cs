using System.Security.Cryptography;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// A stand-in for AstraSim that answers only traces it has seen: for each captured call of a persisted reference run
/// it remembers the MD5 of the call's trace files (concatenated in byte order of their names) and replays that call's
/// captured stdout when it is given byte-identical traces. Any other workload exits with code 3, so a replayed
/// end-to-end run passes only if every trace we write equals the reference's. Graph runs whose node order differs (the
/// reference orders ready tasks by Python set iteration, which follows object addresses) fall back to the
/// order-independent manifest of per-rank operations; <see cref="AstraTraceEquivalenceTests"/> compares those traces
/// structurally.
/// </summary>
internal sealed class ReplayAstraSim : IDisposable
{
    public ReplayAstraSim(params string[] runFolders)
    {
        Folder = Path.Combine(Path.GetTempPath(), "replay-astra-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        var table = Path.Combine(Folder, "outputs");
        Directory.CreateDirectory(table);
        foreach (var run in runFolders)
        {
            foreach (var inputs in Directory.EnumerateDirectories(Path.Combine(run, "astra_calls"), "*.inputs"))
            {
                var stdout = inputs[..^".inputs".Length] + ".stdout.txt";
                File.Copy(stdout, Path.Combine(table, TraceKey(Directory.EnumerateFiles(inputs, "*.et"))), overwrite: true);
                var manifest = Path.Combine(inputs, "manifest.json");
                if (File.Exists(manifest)) File.Copy(stdout, Path.Combine(table, "manifest-" + TraceKey([manifest])), overwrite: true);
            }
        }

        BinaryPath = Path.Combine(Folder, "AstraSim_Analytical_Congestion_Aware");
        var calls = Path.Combine(Folder, "calls.txt");
        File.WriteAllText(BinaryPath, $$"""
            #!/bin/sh
            export LC_ALL=C
            prefix=""
            for a in "$@"; do case "$a" in --workload-configuration=*) prefix="${a#--workload-configuration=}";; esac; done
            key=$(cat "$prefix".*.et | md5sum | cut -d' ' -f1)
            if [ -f '{{table}}'/"$key" ]; then echo "hit $prefix" >> '{{calls}}'; cat '{{table}}'/"$key"; exit 0; fi
            manifest="$(dirname "$prefix")/manifest.json"
            if [ -f "$manifest" ]; then
              mkey=manifest-$(md5sum < "$manifest" | cut -d' ' -f1)
              if [ -f '{{table}}'/"$mkey" ]; then echo "hit-manifest $prefix" >> '{{calls}}'; cat '{{table}}'/"$mkey"; exit 0; fi
            fi
            echo "miss $prefix" >> '{{calls}}'
            echo "no captured output for $prefix"
            exit 3
            """.Replace("\r", string.Empty));
        if (OperatingSystem.IsWindows()) SkipReason.Skip("The replaying AstraSim stand-in is a POSIX shell script.");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(BinaryPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Folder { get; }

    public string BinaryPath { get; }

    /// <summary>One line per call: "hit &lt;prefix&gt;", "hit-manifest &lt;prefix&gt;" or "miss &lt;prefix&gt;".</summary>
    public IReadOnlyList<string> Calls =>
        File.Exists(Path.Combine(Folder, "calls.txt")) ? File.ReadAllLines(Path.Combine(Folder, "calls.txt")) : [];

    public static string TraceKey(IEnumerable<string> traceFiles)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var file in traceFiles.OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal))
        {
            md5.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    public void Dispose() { if (Environment.GetEnvironmentVariable("ASTRA_TEST_KEEP") is null) Directory.Delete(Folder, recursive: true); }
}
