using RapidLlm.Configuration;
using RapidLlm.Graphs;

namespace RapidLlm.Execution;

/// <summary>
/// Runs a user's <see cref="IStepBackend"/> behind the internal seam: the graph is priced with the analytical
/// collectives, handed over as a <see cref="StepGraph"/>, and the schedule returned becomes the estimators' result.
/// The layer's collectives and durations stay the analytical model's.
/// </summary>
internal sealed class StepBackendAdapter : IExecutionBackend
{
    private readonly IStepBackend _backend;
    private readonly HardwareConfig _hardware;
    private readonly SimulationServices _services;
    private readonly RunType _runType;

    /// <summary>Wraps <paramref name="backend"/> for one simulation.</summary>
    /// <param name="backend">The user's backend.</param>
    /// <param name="context">The simulation's hardware and services.</param>
    public StepBackendAdapter(IStepBackend backend, BackendBuildContext context)
        : this(backend, context.Hardware, context.Services, RunType.Training)
    {
    }

    private StepBackendAdapter(IStepBackend backend, HardwareConfig hardware, SimulationServices services, RunType runType)
    {
        _backend = backend;
        _hardware = hardware;
        _services = services;
        _runType = runType;
    }

    /// <inheritdoc />
    public string Name => _backend.Name;

    /// <inheritdoc />
    public StepPlan Plan(LayerStep step, CancellationToken cancellationToken = default) =>
        new(null, step.RunType == _runType ? this : new StepBackendAdapter(_backend, _hardware, _services, step.RunType));

    /// <inheritdoc />
    public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(communication);
        cancellationToken.ThrowIfCancellationRequested();
        var view = new StepGraph(graph, CommunicationTimingPass.Time(graph, communication), _runType);
        var schedule = _backend.Schedule(view, new BackendContext(_hardware, _services, cancellationToken))
            ?? throw new BackendRunException($"The backend '{Name}' returned no schedule; return a StepSchedule (graph.Simulate() gives the analytical one).");
        return view.ToResult(schedule, Name);
    }
}
