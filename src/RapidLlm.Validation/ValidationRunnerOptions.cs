namespace RapidLlm.Validation;

/// <summary>How a <see cref="ValidationRunner"/> runs points.</summary>
/// <param name="MaxDegreeOfParallelism">Points estimated at once; -1 lets the runtime choose.</param>
/// <param name="ForceAnalytical">
/// Move hardware files that ask for AstraSim onto the analytical backend (Ring topologies); default true. When false,
/// such files run on the AstraSim backend they name, which <see cref="Backends"/> must register (the binary must be
/// available, see docs/backends.md).
/// </param>
public sealed record ValidationRunnerOptions(int MaxDegreeOfParallelism = -1, bool ForceAnalytical = true)
{
    /// <summary>
    /// Registers the backends the points' hardware files may select on each point's simulation builder, e.g.
    /// <c>b =&gt; b.UseAstraSim(new AstraSimOptions())</c> from the RapidLlm.AstraSim package; null (the default) leaves
    /// only the analytical backend, and AstraSim points then fail with a sentence saying what to register.
    /// </summary>
    public Action<Simulation.LlmSimulationBuilder>? Backends { get; init; }
}
