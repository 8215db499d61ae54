using RapidLlm.AstraSim.Execution;
using RapidLlm.Configuration;
using RapidLlm.Simulation;

namespace RapidLlm.AstraSim;

/// <summary>
/// Adds the AstraSim backends to <see cref="LlmSimulationBuilder"/>, in the manner of Polly's strategy extensions: the
/// method records the <c>execution_backend</c> settings and registers a factory; the builder creates the backend once per
/// simulation, from its hardware and shared services.
/// </summary>
public static class AstraSimSimulationBuilderExtensions
{
    /// <summary>
    /// Times graphs with the AstraSim network simulator (<c>execution_backend.model: astra</c>), e.g.
    /// <c>a =&gt; a.Hierarchical().Binary(path)</c>, replacing the hardware's choice. Estimates need the AstraSim binary
    /// and fail with <see cref="Running.AstraSimBinaryNotFoundException"/> (its message says how to get one) without it.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the AstraSim settings; null keeps their defaults (hybrid mode).</param>
    /// <param name="options">How runs are carried out (output folder, binary, timeout, persistence); null uses the defaults.</param>
    /// <returns>The builder.</returns>
    public static LlmSimulationBuilder UseAstraSim(this LlmSimulationBuilder builder, Action<AstraSimBuilder>? configure = null, AstraSimOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var astra = new AstraSimBuilder();
        configure?.Invoke(astra);
        return builder.ExecutionBackend(astra.ToConfig()).UseAstraSim(options ?? new AstraSimOptions());
    }

    /// <summary>
    /// Makes the AstraSim backends available without changing the hardware's choice: a hardware whose
    /// <c>execution_backend</c> selects <c>astra</c> (a YAML file, in any mode) runs on AstraSim with
    /// <paramref name="options"/>; an analytical one stays analytical. The CLI always calls this.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">How runs are carried out; a null output folder takes the simulation's <c>SimulationServices.OutputDirectory</c>.</param>
    /// <returns>The builder.</returns>
    public static LlmSimulationBuilder UseAstraSim(this LlmSimulationBuilder builder, AstraSimOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.UseBackend(context => ExecutionBackendFactory.Create(context, options));
    }
}
