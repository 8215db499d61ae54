namespace RapidLlm.Execution;

/// <summary>
/// The shared services of a simulation's runs, handed to every backend it creates: where files may be written, the
/// clock, and where progress notes go. The library reads no environment variable and no working folder; an app maps
/// its own settings (the CLI's <c>--output_dir</c>, <c>RAPID_*</c> variables) onto these and onto a backend's options.
/// Set them with <c>LlmSimulationBuilder.Services(…)</c>; cancellation is passed to each estimate.
/// </summary>
public sealed record SimulationServices
{
    /// <summary>The services used when none are set: no output folder, the system clock, no log.</summary>
    public static SimulationServices Default { get; } = new();

    /// <summary>
    /// The folder backends may write their work and artifacts under (AstraSim traces and configs); null (the default)
    /// lets each backend use a temporary folder it removes. Made absolute when the simulation is built.
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The clock backends time out and stamp with; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Receives one-line progress notes from backends (an external run starting, a cached result reused); called from
    /// any thread; null (the default) discards them.
    /// </summary>
    public Action<string>? Log { get; init; }
}
