using RapidLlm.AstraSim;
using RapidLlm.AstraSim.Execution;
using RapidLlm.Cli;
using RunPerf.Search;

// A thin shell over the library's RunPerf command: same flags and outputs as the reference's run_perf.py, plus the
// `search` and `merge` subcommands (their code, and the packages only they load, stay out of an estimate's start-up).
// The app, not the library, reads the environment: RAPID_ASTRA_SIM_BIN, RAPID_PERSIST_ASTRASIM_ARTIFACTS and
// RAPID_VISUALIZE_GRAPHS become AstraSim options, and the working folder is searched for a source-built binary.
// The AstraSim backends are always registered; a hardware file that selects the analytical model stays analytical.
var astra = AstraSimOptions.FromEnvironment(null, Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
return args.Length > 0 && args[0] is "search" or "merge"
    ? SearchCommand.Run(args[0], args[1..], Console.Out, Console.Error, astra)
    : RunPerfCommand.Run(args, Console.Out, Console.Error, builder => builder.UseAstraSim(astra));
