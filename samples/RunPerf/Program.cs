using RapidLlm.Cli;

// A thin shell over the library's RunPerf command: same flags and outputs as the reference's run_perf.py.
return RunPerfCommand.Run(args, Console.Out, Console.Error);
