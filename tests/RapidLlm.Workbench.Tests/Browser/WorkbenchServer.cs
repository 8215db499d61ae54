using System.Diagnostics;

namespace RapidLlm.Workbench.Tests.Browser;

/// <summary>
/// The workbench started as a user starts it: its own process, <c>--urls</c> on 127.0.0.1 with a free port and a fresh
/// data directory. Ready when it prints the URL line.
/// </summary>
internal sealed class WorkbenchServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private WorkbenchServer(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    /// <summary>The base URL the server printed, ending in a slash.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Where the server keeps runs.</summary>
    public string DataDirectory { get; }

    /// <summary>What the server printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    /// <summary>Starts the workbench built next to the tests (same configuration) and waits until it serves.</summary>
    public static async Task<WorkbenchServer> StartAsync()
    {
        var dll = Path.Combine(TestData.RepoRoot, "samples", "Workbench", "bin", TestData.Configuration, "net10.0", "Workbench.dll");
        if (!File.Exists(dll)) Assert.Fail($"{dll} is missing: build the solution first (dotnet build RapidLlm.sln -c {TestData.Configuration}).");
        var data = Directory.CreateTempSubdirectory("wb-e2e-data-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            // Port 0: the system picks a free port, and the server prints the URL it got.
            ArgumentList = { dll, "--urls", "http://127.0.0.1:0", "--data-dir", data },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment.Remove("RAPID_ASTRA_SIM_BIN");
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var server = new WorkbenchServer(process, data);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => server.Collect(e.Data, ready);
        process.ErrorDataReceived += (_, e) => server.Collect(e.Data, null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (finished != ready.Task)
        {
            await server.DisposeAsync();
            Assert.Fail($"The workbench did not print its URL within 60 s. Output:\n{server.Output}");
        }

        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary folder is cleaned by the system later.
        }
    }

    private void Collect(string? line, TaskCompletionSource? ready)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        const string prefix = "RapidLlm Workbench: open http://127.0.0.1:";
        if (ready is null || !line.StartsWith(prefix, StringComparison.Ordinal)) return;
        Url = line["RapidLlm Workbench: open ".Length..].Split(' ')[0] + "/";
        ready.TrySetResult();
    }
}
