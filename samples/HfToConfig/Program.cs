using RapidLlm.Cli;

// A thin host over `rapidllm import-hf`: a local Hugging Face config.json in, a model YAML out, with the options of
// the reference's hf_to_config.py (nothing is downloaded; fetch config.json yourself).
return CommandLine.ImportHuggingFace(args, Console.Out, Console.Error);
