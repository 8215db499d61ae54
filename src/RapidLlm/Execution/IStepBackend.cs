namespace RapidLlm.Execution;

/// <summary>
/// A backend of your own: it times one step's pipeline graph (a training step, the prefill, a sampled decode step) and
/// returns the schedule. Register it with <c>LlmSimulationBuilder.UseBackend(IStepBackend)</c>; every estimate of the
/// simulation then times its graphs with it, and the estimate's <c>Backend</c> is its <see cref="Name"/>.
/// </summary>
/// <remarks>
/// The graph arrives as a read-only view (<see cref="StepGraph"/>): every vertex with its role, device, stage,
/// micro-batch, the analytical model's duration and its dependencies, and the bytes, collective and participants of
/// each transfer. Return start and finish times per vertex and the step time (<see cref="StepSchedule"/>);
/// <see cref="StepGraph.Simulate(Func{StepVertex, double})"/> runs the library's own list scheduler with durations you choose, so a backend that
/// only reprices vertices needs no scheduler of its own. The layer costs, the memory model and the rest of the
/// estimate stay the analytical model's. A backend is called from several threads when estimates run at once; honour
/// <see cref="BackendContext.CancellationToken"/> in anything that runs long, and throw
/// <see cref="BackendUnavailableException"/> when it cannot run here or <see cref="BackendRunException"/> when its run
/// fails.
/// </remarks>
public interface IStepBackend
{
    /// <summary>The backend's name, as estimates report it (e.g. <c>"my-simulator"</c>).</summary>
    string Name { get; }

    /// <summary>Times one step's pipeline graph.</summary>
    /// <param name="graph">The graph, with the analytical duration of every vertex.</param>
    /// <param name="context">The run's services (output folder, clock, log), hardware and cancellation.</param>
    /// <returns>When each vertex starts and finishes, and the step time.</returns>
    StepSchedule Schedule(StepGraph graph, BackendContext context);
}
