namespace RapidLlm.Validation;

/// <summary>How a <see cref="ValidationRunner"/> runs points.</summary>
/// <param name="MaxDegreeOfParallelism">Points estimated at once; -1 lets the runtime choose.</param>
/// <param name="ForceAnalytical">
/// Move hardware files that ask for AstraSim onto the analytical backend (Ring topologies) instead of failing the point.
/// </param>
public sealed record ValidationRunnerOptions(int MaxDegreeOfParallelism = -1, bool ForceAnalytical = true);
