using System.Diagnostics;
using System.Text;
using RapidLlm.Common;

namespace RapidLlm.AstraSim.Running;

/// <summary>
/// Runs the AstraSim binary and returns per-rank wall times. A run counts only when every rank reports a positive
/// wall time; a run that reports none (AstraSim's symptom of a deadlocked workload) is retried like the reference
/// does and then reported as an error naming the workload. Each run uses its invocation's working directory, so
/// runs on different threads do not share AstraSim's log folder.
/// </summary>
internal sealed class AstraSimRunner
{
    private readonly string _binaryPath;
    private readonly AstraSimResultCache? _cache;
    private readonly TimeProvider _timeProvider;
    private readonly Action<string>? _log;

    /// <summary>Creates a runner for <paramref name="binaryPath"/>.</summary>
    /// <param name="binaryPath">The AstraSim analytical binary (see <see cref="AstraSimBinaryLocator"/>).</param>
    /// <param name="timeout">Longest a single run may take before it is killed.</param>
    /// <param name="attempts">Runs tried before giving up on a result without wall times (the reference tries 2).</param>
    /// <param name="cache">Optional content cache.</param>
    /// <param name="timeProvider">The clock the timeout runs on; null uses the system clock.</param>
    /// <param name="log">Receives a line per run started or reused from the cache; null discards them.</param>
    public AstraSimRunner(string binaryPath, TimeSpan timeout, int attempts = 2, AstraSimResultCache? cache = null, TimeProvider? timeProvider = null, Action<string>? log = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _log = log;
        ArgumentException.ThrowIfNullOrWhiteSpace(binaryPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        _binaryPath = binaryPath;
        Timeout = timeout;
        Attempts = attempts;
        _cache = cache;
    }

    /// <summary>Longest a single run may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Runs tried before a result without wall times becomes an error.</summary>
    public int Attempts { get; }

    /// <summary>Runs <paramref name="invocation"/> (or answers it from the cache).</summary>
    /// <exception cref="AstraSimBinaryNotFoundException">The binary does not exist.</exception>
    /// <exception cref="AstraSimRunException">The run failed, timed out or reported no complete result.</exception>
    public AstraSimRunResult Run(AstraSimInvocation invocation, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (!File.Exists(_binaryPath))
        {
            throw new AstraSimBinaryNotFoundException([_binaryPath]);
        }

        var key = _cache is null ? null : AstraSimResultCache.Key(invocation);
        if (key is not null && _cache!.TryGet(key, invocation.NpusCount) is { } cached)
        {
            _log?.Invoke($"AstraSim: '{invocation.WorkloadName}' ({invocation.NpusCount} ranks) reused from the cache");
            return new AstraSimRunResult(new EquatableArray<double>(cached), FromCache: true);
        }

        string lastOutput = string.Empty;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            _log?.Invoke($"AstraSim: running '{invocation.WorkloadName}' on {invocation.NpusCount} ranks (attempt {attempt} of {Attempts})");
            lastOutput = Execute(invocation, cancellation);
            var seconds = Interpret(lastOutput, invocation.NpusCount);
            if (seconds is not null)
            {
                if (key is not null)
                {
                    _cache!.Store(key, seconds);
                }

                return new AstraSimRunResult(new EquatableArray<double>(seconds));
            }
        }

        throw new AstraSimRunException(IncompleteMessage(invocation, lastOutput, Attempts));
    }

    /// <summary>
    /// Per-rank seconds when <paramref name="output"/> has a positive wall time for every rank 0..npus-1, else null.
    /// </summary>
    public static double[]? Interpret(string output, int npusCount)
    {
        var byRank = AstraSimOutputParser.WallTimeCyclesByRank(output);
        if (byRank.Count != npusCount || Enumerable.Range(0, npusCount).Any(r => !byRank.TryGetValue(r, out var c) || c <= 0))
        {
            return null;
        }

        return [.. Enumerable.Range(0, npusCount).Select(r => byRank[r] * AstraSimOutputParser.SecondsPerCycle)];
    }

    /// <summary>The error text for a run that ended without every rank's wall time.</summary>
    public static string IncompleteMessage(AstraSimInvocation invocation, string output, int attempts)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var reported = AstraSimOutputParser.WallTimeCyclesByRank(output ?? string.Empty).Count;
        return $"AstraSim finished the workload '{invocation.WorkloadName}' ({invocation.WorkloadPrefix}.*.et, " +
               $"{invocation.NpusCount} ranks) without a wall time for every rank ({reported} of {invocation.NpusCount} reported) " +
               $"in {attempts} attempt(s). This usually means the trace deadlocked: a receive with no matching send " +
               $"(same tag, source and destination) or a collective some group member never reaches.";
    }

    private string Execute(AstraSimInvocation invocation, CancellationToken cancellation)
    {
        // The binary resolves relative paths against its own working folder, so every path it gets is made absolute.
        invocation = Absolute(invocation);
        Directory.CreateDirectory(invocation.WorkingDirectory);
        var start = new ProcessStartInfo(_binaryPath)
        {
            WorkingDirectory = invocation.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in invocation.Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var sync = new object();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (sync) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (sync) output.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new AstraSimRunException($"Could not start AstraSim at {_binaryPath}: {error.Message}", error);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timer = new CancellationTokenSource(Timeout, _timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timer.Token);
        try
        {
            process.WaitForExitAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            cancellation.ThrowIfCancellationRequested();
            throw new AstraSimRunException(
                $"AstraSim did not finish the workload '{invocation.WorkloadName}' within {Timeout.TotalSeconds:0.#} s and was stopped.");
        }

        // The parameterless wait drains the redirected streams after exit.
        process.WaitForExit();
        string text;
        lock (sync)
        {
            text = output.ToString();
        }

        if (process.ExitCode != 0)
        {
            throw new AstraSimRunException(
                $"AstraSim failed on the workload '{invocation.WorkloadName}' with exit code {process.ExitCode}:\n{Tail(text)}");
        }

        return text;
    }

    private static AstraSimInvocation Absolute(AstraSimInvocation invocation) => invocation with
    {
        WorkloadPrefix = Path.GetFullPath(invocation.WorkloadPrefix),
        SystemJsonPath = Path.GetFullPath(invocation.SystemJsonPath),
        NetworkYamlPath = Path.GetFullPath(invocation.NetworkYamlPath),
        RemoteMemoryJsonPath = Path.GetFullPath(invocation.RemoteMemoryJsonPath),
        CommGroupsJsonPath = invocation.CommGroupsJsonPath is null ? null : Path.GetFullPath(invocation.CommGroupsJsonPath),
        WorkingDirectory = Path.GetFullPath(invocation.WorkingDirectory),
    };

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];
}
