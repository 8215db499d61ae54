using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Execution;

/// <summary>Creates the execution backend a hardware config's <c>execution_backend</c> names (what <c>UseAstraSim</c> registers).</summary>
internal static class ExecutionBackendFactory
{
    /// <summary>
    /// The analytical backend for <c>model: analytical</c>; for <c>model: astra</c> the AstraSim backend of
    /// <c>astra.mode</c> (hybrid, full_astrasim_hierarchical or full_astrasim_flattened).
    /// </summary>
    /// <param name="hardware">The hardware config.</param>
    /// <param name="collectives">The device's analytical collectives (AstraSim modes price point-to-point with them).</param>
    /// <param name="options">AstraSim options; null uses the defaults (a temporary work folder, the binary found from the hardware's setting or the application's folders).</param>
    /// <param name="services">Clock and log; null uses the system clock and no log.</param>
    /// <exception cref="Running.AstraSimBinaryNotFoundException">An AstraSim mode is selected and no binary is found.</exception>
    public static IExecutionBackend Create(HardwareConfig hardware, AnalyticalCollectives collectives, AstraSimOptions? options = null, SimulationServices? services = null)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(collectives);
        if (hardware.ExecutionBackend.Kind == ExecutionBackendKind.Analytical) return AnalyticalBackend.Instance;
        var astra = hardware.ExecutionBackend.Astra;
        return new AstraSimBackend(hardware, astra?.Mode ?? AstraSimMode.Hybrid, options ?? new AstraSimOptions(), collectives, services);
    }

    /// <summary>The backend of one simulation, from the context the builder hands a registered factory.</summary>
    /// <param name="context">The simulation's hardware, collectives and services.</param>
    /// <param name="options">AstraSim options; a null output folder takes the services' one.</param>
    /// <exception cref="Running.AstraSimBinaryNotFoundException">An AstraSim mode is selected and no binary is found.</exception>
    public static IExecutionBackend Create(BackendBuildContext context, AstraSimOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= new AstraSimOptions();
        if (options.OutputDirectory is null && context.Services.OutputDirectory is { } output) options = options with { OutputDirectory = output };
        return Create(context.Hardware, context.Collectives, options, context.Services);
    }
}
