using RapidLlm.AstraSim.Chakra;
using RapidLlm.AstraSim.Configs;
using RapidLlm.AstraSim.Microbenchmarks;
using RapidLlm.AstraSim.Running;
using RapidLlm.AstraSim.Traces;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;

namespace RapidLlm.AstraSim.Execution;

/// <summary>
/// Runs one graph in AstraSim: converts it to per-rank traces, writes the network, system, remote-memory and
/// communicator-group files next to them, runs the binary and returns each rank's wall time. Each call works in its
/// own folder, so simulators may run concurrently.
/// </summary>
internal sealed class AstraGraphSimulator
{
    private readonly HardwareConfig _hardware;
    private readonly AstraSimOptions _options;
    private readonly string _binaryPath;
    private readonly SimulationServices _services;

    /// <summary>Creates a simulator; fails early when no binary is found.</summary>
    /// <param name="hardware">The hardware (network, AstraSim settings).</param>
    /// <param name="options">Output folder, binary, timeout, persistence.</param>
    /// <param name="services">The clock the timeout runs on and the log; null uses the system clock and no log.</param>
    /// <exception cref="AstraSimBinaryNotFoundException">No AstraSim binary was found.</exception>
    public AstraGraphSimulator(HardwareConfig hardware, AstraSimOptions options, SimulationServices? services = null)
    {
        _hardware = hardware ?? throw new ArgumentNullException(nameof(hardware));
        _services = services ?? SimulationServices.Default;
        ArgumentNullException.ThrowIfNull(options);
        // The binary runs in a work folder of its own: a relative output folder would be read from there ("bad file").
        _options = options with { OutputDirectory = Path.GetFullPath(options.OutputDirectory ?? DefaultOutputDirectory()) };
        _binaryPath = AstraSimBinaryLocator.Locate(options.BinaryPath ?? hardware.ExecutionBackend.Astra?.BinaryPath, options.FallbackBinaryPath, options.SearchFolders);
    }

    /// <summary>Simulates <paramref name="graph"/>.</summary>
    /// <param name="graph">Pipeline, transformer or flattened graph with compute durations set.</param>
    /// <param name="runType">Training or inference (selects axis sizes for the network).</param>
    /// <param name="dataParallel">Replicas to simulate.</param>
    /// <param name="layout">How hardware ids decompose into axes.</param>
    /// <param name="artifactFolder">Folder under the output directory kept when persisting (astra_hier, astra_hier/fwd, astra_flat).</param>
    /// <param name="cancellation">Stops a running simulation.</param>
    public AstraSimRunResult Simulate(ExecutionGraph graph, RunType runType, int dataParallel, AstraRankLayout layout, string artifactFolder, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(layout);
        var workload = ChakraGraphConverter.Convert(graph, dataParallel, layout);
        var synthetic = workload.Traces.Count == 1;
        if (synthetic)
        {
            // AstraSim needs two NPUs; the single rank runs twice on a synthetic 2-NPU dimension like the reference.
            workload = workload with { Traces = [workload.Traces[0], workload.Traces[0]] };
        }

        var axes = layout.NetworkAxes(dataParallel);
        var request = new AstraNetworkRequest(runType, workload.Traces.Count,
            synthetic || axes.Count == 0 ? (EquatableArray<ParallelismAxis>?)null : axes,
            SyntheticPairAxes: synthetic ? new EquatableArray<ParallelismAxis>(layout.Axes.Select(a => a.Axis)) : (EquatableArray<ParallelismAxis>?)null);
        return Run(artifactFolder, artifactFolder, request, folder => ChakraWorkloadFiles.Write(workload, folder, _options.PersistArtifacts), cancellation);
    }

    /// <summary>Times one collective alone (a single-collective microbenchmark) and returns each rank's wall time.</summary>
    /// <param name="benchmark">The collective, its size and participants.</param>
    /// <param name="runType">Training or inference (selects axis sizes for the network).</param>
    /// <param name="axis">The axis whose dimension carries it, or null to let the greedy tp-first rule choose.</param>
    /// <param name="cancellation">Stops a running simulation.</param>
    internal AstraSimRunResult SimulateCollective(CollectiveMicrobenchmark benchmark, RunType runType, ParallelismAxis? axis, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        var request = new AstraNetworkRequest(runType, benchmark.Participants,
            axis is { } a ? new EquatableArray<ParallelismAxis>([a]) : (EquatableArray<ParallelismAxis>?)null, Flatten2DTo1D: true);
        var traces = benchmark.Traces();
        return Run(Path.Combine("astra_cache", benchmark.RelativeFolder), $"{benchmark.CommName} {benchmark.SizeLabel} on {benchmark.Participants} ranks", request, folder =>
        {
            Directory.CreateDirectory(folder);
            var prefix = Path.Combine(folder, benchmark.PrefixName);
            for (var rank = 0; rank < traces.Count; rank++)
            {
                ChakraTraceFile.Write($"{prefix}.{rank}.et", traces[rank]);
                if (_options.PersistArtifacts) File.WriteAllText($"{prefix}.{rank}.et.txt", ChakraTraceText.Render(traces[rank], $"{benchmark.PrefixName}.{rank}.et"));
            }

            return (prefix, null);
        }, cancellation);
    }

    private AstraSimRunResult Run(
        string artifactFolder, string workloadName, AstraNetworkRequest request, Func<string, (string Prefix, string? CommGroups)> writeTraces, CancellationToken cancellation)
    {
        var folder = _options.PersistArtifacts
            ? Path.Combine(_options.OutputDirectory!, artifactFolder)
            : Path.Combine(_options.OutputDirectory!, "astrasim_" + Guid.NewGuid().ToString("N"));
        if (_options.PersistArtifacts) CleanPersisted(folder);
        try
        {
            var (prefix, groups) = writeTraces(folder);
            var network = AstraNetworkPlanner.Plan(_hardware, request);
            var networkPath = Path.Combine(folder, network.FileName);
            File.WriteAllText(networkPath, network.ToYaml());
            var systemPath = Path.Combine(folder, AstraSystemConfig.FileName(network));
            File.WriteAllText(systemPath, AstraSystemConfig.ToJson(network, _hardware.ExecutionBackend.Astra));
            var memoryPath = Path.Combine(folder, "no_memory_expansion.json");
            File.WriteAllText(memoryPath, "{\"memory-type\": \"NO_MEMORY_EXPANSION\"}");
            var invocation = new AstraSimInvocation(workloadName, prefix, request.NpusCount, systemPath, networkPath, memoryPath, groups, folder);
            var runner = new AstraSimRunner(_binaryPath, TimeSpan.FromSeconds(_options.TimeoutSeconds), _options.Attempts,
                new AstraSimResultCache(Path.Combine(folder, "cache.json")), _services.TimeProvider, _services.Log);
            return runner.Run(invocation, cancellation);
        }
        finally
        {
            if (!_options.PersistArtifacts && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    // Without an output folder the work folders (each removed after its run) go under the temporary folder.
    internal static string DefaultOutputDirectory() => Path.Combine(Path.GetTempPath(), "rapidllm-astrasim");

    // Old traces of a previous, larger run would otherwise sit next to the new ones; the cache is kept.
    private static void CleanPersisted(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith(ChakraWorkloadFiles.TracePrefixName + ".", StringComparison.Ordinal) || name is "manifest.json" or "comm_groups.json"
                || name.StartsWith("system_native_collectives", StringComparison.Ordinal) || name.StartsWith("network_analytical_", StringComparison.Ordinal))
            {
                File.Delete(file);
            }
        }
    }
}
