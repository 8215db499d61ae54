using RapidLlm.Graphs;

namespace RapidLlm.Execution;

/// <summary>
/// Times a pipeline graph. The analytical backend prices communication with closed-form collectives and runs the
/// event simulator; AstraSim backends hand (parts of) the graph to the external network simulator.
/// </summary>
public interface IExecutionBackend
{
    /// <summary>The backend's name as the reference prints it ("analytical", "hybrid", ...).</summary>
    string Name { get; }

    /// <summary>Times <paramref name="graph"/> and returns its simulated schedule, with the durations it used.</summary>
    /// <param name="graph">The pipeline graph; it is read, never changed.</param>
    /// <param name="communication">Prices collectives and point-to-point transfers.</param>
    SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication);
}
