using RapidLlm.AstraSim.Visualization;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;

namespace RapidLlm.AstraSim.Execution;

/// <summary>
/// The pipeline step of <c>full_astrasim_flattened</c>: the pipeline graph is expanded into per-rank operations and
/// tensor-parallel collectives, converted whole (stages × tensor ranks × replicas) and run in one AstraSim call; the
/// slowest rank's wall time is the step time. Sends and receives always share a tag, so tp &gt; 1 runs where the
/// reference's newest commit deadlocks. Our event simulation of the pipeline graph still supplies per-vertex finish
/// times and per-device busy time.
/// </summary>
internal sealed class AstraSimFlattenedBackend : IExecutionBackend
{
    private readonly AstraGraphSimulator _simulator;
    private readonly HardwareConfig _hardware;
    private readonly LayerStep _step;
    private readonly GraphVisualizer? _visualizer;

    /// <summary>Creates the backend for one step.</summary>
    /// <param name="simulator">Runs graphs in AstraSim.</param>
    /// <param name="hardware">The hardware (layout, overlap, ZeRO stage).</param>
    /// <param name="step">The layer whose operations replace the pipeline's transformer vertices.</param>
    /// <param name="visualizer">Saves the graph before and after flattening when enabled.</param>
    public AstraSimFlattenedBackend(AstraGraphSimulator simulator, HardwareConfig hardware, LayerStep step, GraphVisualizer? visualizer = null)
    {
        _visualizer = visualizer;
        _simulator = simulator ?? throw new ArgumentNullException(nameof(simulator));
        _hardware = hardware ?? throw new ArgumentNullException(nameof(hardware));
        _step = step ?? throw new ArgumentNullException(nameof(step));
    }

    /// <inheritdoc />
    public string Name => "full_astrasim_flattened";

    /// <inheritdoc />
    public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(communication);
        var local = EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, communication));
        _visualizer?.Save(graph, "pipeline_graph_pre_flatten", local.Durations);
        var flattened = PipelineGraphFlattener.Flatten(graph, local.Durations, AstraLayerGraphs.Flattening(_hardware, _step));
        _visualizer?.Save(flattened, "pipeline_graph_post_flatten");
        var dataParallel = AstraLayerGraphs.DataParallel(_hardware, _step.RunType);
        var astra = _simulator.Simulate(flattened, _step.RunType, dataParallel, AstraLayerGraphs.FlattenedLayout(_hardware, _step.RunType), "astra_flat", cancellationToken);
        if (!(astra.MaxSeconds > 0))
        {
            throw new InvalidOperationException("AstraSim returned no positive wall time for the flattened pipeline graph.");
        }

        return local.WithMakespan(astra.MaxSeconds);
    }
}
