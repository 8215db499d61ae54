using RapidLlm.AstraSim.Microbenchmarks;
using RapidLlm.AstraSim.Visualization;
using RapidLlm.Execution;
using RapidLlm.Graphs;

namespace RapidLlm.AstraSim.Execution;

/// <summary>
/// The pipeline step of <c>hybrid</c>: our event simulation of the pipeline graph, with every collective edge priced
/// by an AstraSim microbenchmark and point-to-point transfers priced analytically.
/// </summary>
internal sealed class AstraSimHybridPipelineBackend : IExecutionBackend
{
    private readonly ICommunicationTimer _collectives;
    private readonly GraphVisualizer? _visualizer;

    /// <summary>Creates the backend.</summary>
    /// <param name="collectives">Prices the graph's communication (microbenchmarks; point-to-point analytical).</param>
    /// <param name="visualizer">Saves the timed pipeline graph when enabled.</param>
    public AstraSimHybridPipelineBackend(ICommunicationTimer collectives, GraphVisualizer? visualizer = null)
    {
        _collectives = collectives ?? throw new ArgumentNullException(nameof(collectives));
        _visualizer = visualizer;
    }

    /// <inheritdoc />
    public string Name => "hybrid";

    /// <inheritdoc />
    public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        cancellationToken.ThrowIfCancellationRequested();
        var durations = CommunicationTimingPass.Time(graph, _collectives is AstraCollectiveTimer timer ? timer.WithCancellation(cancellationToken) : _collectives);
        _visualizer?.Save(graph, "hybrid_graph", durations);
        return EventSimulator.Simulate(graph, durations);
    }
}
