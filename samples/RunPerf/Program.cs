using RapidLlm.Cli;

// The command-line contract's entry point: a thin host over the rapidllm command line (src/RapidLlm.Cli), with the
// reference's run_perf.py flags and outputs plus the `search` and `merge` subcommands. The command line, not the
// library, reads the environment (RAPID_ASTRA_SIM_BIN and the other RAPID_* variables become AstraSim options).
return CommandLine.Run(args, Console.Out, Console.Error);
