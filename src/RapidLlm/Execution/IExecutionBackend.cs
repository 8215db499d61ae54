using RapidLlm.Configuration;
using RapidLlm.Graphs;
using RapidLlm.Operations;

namespace RapidLlm.Execution;

/// <summary>
/// Times a pipeline graph. The analytical backend prices communication with closed-form collectives and runs the
/// event simulator; other backends (AstraSim, a user's own) may also price the layer model's collectives and time
/// each step's transformer layer themselves. The estimators call only these members, so they never know which
/// backend runs. Register a backend with <c>LlmSimulationBuilder.UseBackend(…)</c>.
/// </summary>
/// <remarks>
/// Only <see cref="Name"/> and <see cref="Execute"/> must be written; <see cref="LayerCollectives"/> and
/// <see cref="Plan"/> default to what the analytical backend does (keep the analytical collectives, keep the layer
/// durations, time the pipeline graph with this backend). A backend is called from many threads when estimates run
/// at once.
/// </remarks>
internal interface IExecutionBackend
{
    /// <summary>The backend's name, as estimates report it ("analytical", "hybrid", ...).</summary>
    string Name { get; }

    /// <summary>The collective model the layer costs use; the default keeps <paramref name="analytical"/>.</summary>
    /// <param name="runType">Training or inference.</param>
    /// <param name="analytical">The device's own collective model.</param>
    /// <param name="cancellationToken">Stops collective timings the returned model runs.</param>
    /// <returns>The model the layer's collectives are priced with.</returns>
    ICollectiveCostModel LayerCollectives(RunType runType, ICollectiveCostModel analytical, CancellationToken cancellationToken = default) => analytical;

    /// <summary>
    /// Runs what a step needs before its pipeline graph exists and says how to time that graph. The default keeps the
    /// layer's analytical durations and times the graph with this backend.
    /// </summary>
    /// <param name="step">The layer the step's pipeline graph is built from.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>The plan.</returns>
    StepPlan Plan(LayerStep step, CancellationToken cancellationToken = default) => new(null, this);

    /// <summary>Times <paramref name="graph"/> and returns its simulated schedule, with the durations it used.</summary>
    /// <param name="graph">The pipeline graph; it is read, never changed.</param>
    /// <param name="communication">Prices collectives and point-to-point transfers.</param>
    /// <param name="cancellationToken">Stops the simulation (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The schedule.</returns>
    SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default);
}
