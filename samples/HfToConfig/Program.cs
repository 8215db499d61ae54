using RapidLlm.HuggingFace;

// A thin shell over the library's importer: a local Hugging Face config.json in, a model YAML out, with the options of
// the reference's hf_to_config.py (nothing is downloaded; fetch config.json yourself).
return HuggingFaceImportCommand.Run(args, Console.Out, Console.Error);
