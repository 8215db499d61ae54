using RapidLlm.Cli;
using RunPerf.Search;

// A thin shell over the library's RunPerf command: same flags and outputs as the reference's run_perf.py, plus the
// `search` and `merge` subcommands (their code, and the packages only they load, stay out of an estimate's start-up).
return args.Length > 0 && args[0] is "search" or "merge"
    ? SearchCommand.Run(args[0], args[1..], Console.Out, Console.Error)
    : RunPerfCommand.Run(args, Console.Out, Console.Error);
