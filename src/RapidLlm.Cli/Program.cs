using RapidLlm.Cli;

// `rapidllm`: the .NET tool's entry point (samples/RunPerf hosts the same commands under the contract's name).
return CommandLine.Run(args, Console.Out, Console.Error);
