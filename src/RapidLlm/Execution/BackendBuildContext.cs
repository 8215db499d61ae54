using RapidLlm.Configuration;
using RapidLlm.Network;

namespace RapidLlm.Execution;

/// <summary>
/// What an internal backend factory (registered with <c>LlmSimulationBuilder.UseBackend(Func…)</c>, as <c>UseAstraSim</c> does) is given to create the backend of
/// one simulation: the validated hardware, the device's analytical collectives and the run's shared services.
/// </summary>
/// <param name="Hardware">The simulation's validated hardware (its <c>execution_backend</c> section included).</param>
/// <param name="Collectives">The device's analytical collectives (e.g. to price point-to-point transfers).</param>
/// <param name="Services">Output folder, clock and log.</param>
internal sealed record BackendBuildContext(HardwareConfig Hardware, AnalyticalCollectives Collectives, SimulationServices Services);
