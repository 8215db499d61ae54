using RapidLlm.Graphs;

namespace RapidLlm.Execution;

/// <summary>
/// The analytical backend: every communication vertex is priced with its closed-form time, then the list scheduler
/// runs the graph with those durations. It needs no external tool.
/// </summary>
internal sealed class AnalyticalBackend : IExecutionBackend
{
    /// <summary>The shared instance (the backend holds no state).</summary>
    public static AnalyticalBackend Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "analytical";

    /// <inheritdoc />
    public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(communication);
        return EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, communication));
    }
}
