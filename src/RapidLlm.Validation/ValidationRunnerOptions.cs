namespace RapidLlm.Validation;

/// <summary>How a <see cref="ValidationRunner"/> runs points.</summary>
/// <param name="MaxDegreeOfParallelism">Points estimated at once; -1 lets the runtime choose.</param>
/// <param name="ForceAnalytical">
/// Move hardware files that ask for AstraSim onto the analytical backend (Ring topologies); default true. When false,
/// such files run on the AstraSim backend they name (the binary must be available, see docs/backends.md).
/// </param>
public sealed record ValidationRunnerOptions(int MaxDegreeOfParallelism = -1, bool ForceAnalytical = true);
