using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RapidLlm.Workbench.Tests.Browser;

/// <summary>
/// The workbench started as a user starts it: its own process, <c>--urls</c> on 127.0.0.1 with a free port and a fresh
/// data directory. Ready when it prints the URL line.
/// </summary>
internal sealed class WorkbenchServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private WorkbenchServer(Process process, string url, string dataDirectory)
    {
        _process = process;
        Url = url;
        DataDirectory = dataDirectory;
    }

    /// <summary>The base URL, ending in a slash.</summary>
    public string Url { get; }

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
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/";
        var data = Directory.CreateTempSubdirectory("wb-e2e-data-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", url.TrimEnd('/'), "--data-dir", data },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment.Remove("RAPID_ASTRA_SIM_BIN");
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var server = new WorkbenchServer(process, url, data);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => server.Collect(e.Data, ready, url);
        process.ErrorDataReceived += (_, e) => server.Collect(e.Data, null, url);
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

    private void Collect(string? line, TaskCompletionSource? ready, string url)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (ready is not null && line.Contains("RapidLlm Workbench: open " + url.TrimEnd('/'), StringComparison.Ordinal)) ready.TrySetResult();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
