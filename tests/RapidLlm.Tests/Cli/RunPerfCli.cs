using RapidLlm.AstraSim;
using RapidLlm.AstraSim.Execution;
using RapidLlm.Cli;

namespace RapidLlm.Tests;

/// <summary>
/// Runs the RunPerf command in-process as the RunPerf app does: the AstraSim backends registered, with their options
/// mapped from the environment (RAPID_ASTRA_SIM_BIN and the persistence flags) and the working folder searched.
/// </summary>
internal static class RunPerfCli
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var astra = AstraSimOptions.FromEnvironment(null, Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
        return RunPerfCommand.Run(args, stdout, stderr, builder => builder.UseAstraSim(astra), cancellationToken);
    }
}
