using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Execution;

/// <summary>Chooses the execution backend a hardware config's <c>execution_backend</c> names.</summary>
internal static class ExecutionBackendFactory
{
    /// <summary>
    /// The analytical backend for <c>model: analytical</c>; for <c>model: astra</c> the AstraSim backend of
    /// <c>astra.mode</c> (hybrid, full_astrasim_hierarchical or full_astrasim_flattened).
    /// </summary>
    /// <param name="hardware">The hardware config.</param>
    /// <param name="collectives">The device's analytical collectives (AstraSim modes price point-to-point with them).</param>
    /// <param name="options">AstraSim options; null uses <c>output/LLM</c> under the working folder and RAPID_PERSIST_ASTRASIM_ARTIFACTS.</param>
    /// <exception cref="Running.AstraSimBinaryNotFoundException">An AstraSim mode is selected and no binary is found.</exception>
    public static IExecutionBackend Create(HardwareConfig hardware, AnalyticalCollectives collectives, AstraSimOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(collectives);
        if (hardware.ExecutionBackend.Kind == ExecutionBackendKind.Analytical) return AnalyticalBackend.Instance;
        var astra = hardware.ExecutionBackend.Astra;
        options ??= AstraSimOptions.FromEnvironment(Path.Combine("output", "LLM"));
        return new AstraSimBackend(hardware, astra?.Mode ?? AstraSimMode.Hybrid, options, collectives);
    }

    /// <summary>The name the reference prints for the backend a config selects, without creating it.</summary>
    /// <param name="hardware">The hardware config.</param>
    public static string NameOf(HardwareConfig hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        if (hardware.ExecutionBackend.Kind == ExecutionBackendKind.Analytical) return "analytical";
        return (hardware.ExecutionBackend.Astra?.Mode ?? AstraSimMode.Hybrid) switch
        {
            AstraSimMode.Hybrid => "hybrid",
            AstraSimMode.FullHierarchical => "full_astrasim_hierarchical",
            _ => "full_astrasim_flattened",
        };
    }
}
