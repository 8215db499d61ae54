using RapidLlm.Configuration;

namespace RapidLlm.Execution;

/// <summary>
/// What an <see cref="IStepBackend"/> is handed with each graph: the simulation's shared services (where it may write
/// files, the clock, the log), the validated hardware and the estimate's cancellation token.
/// </summary>
public sealed class BackendContext
{
    internal BackendContext(HardwareConfig hardware, SimulationServices services, CancellationToken cancellationToken)
    {
        Hardware = hardware;
        Services = services;
        CancellationToken = cancellationToken;
    }

    /// <summary>The simulation's validated hardware (devices, network dimensions, parallelism).</summary>
    public HardwareConfig Hardware { get; }

    /// <summary>
    /// The folder the backend may write its work and artifacts under (<see cref="SimulationServices.OutputDirectory"/>,
    /// absolute); null when none was set (use a temporary folder and remove it).
    /// </summary>
    public string? OutputDirectory => Services.OutputDirectory;

    /// <summary>The clock to time out and stamp with (<see cref="SimulationServices.TimeProvider"/>).</summary>
    public TimeProvider TimeProvider => Services.TimeProvider;

    /// <summary>Writes a one-line progress note to the simulation's log (<see cref="SimulationServices.Log"/>); discarded when none is set.</summary>
    /// <param name="message">The note.</param>
    public void Log(string message) => Services.Log?.Invoke(message);

    /// <summary>The token of the estimate that asked for this graph: stop and throw <see cref="OperationCanceledException"/> when it is cancelled.</summary>
    public CancellationToken CancellationToken { get; }

    internal SimulationServices Services { get; }
}
