using System.Globalization;
using RapidLlm.Configuration;

namespace RapidLlm.HuggingFace;

/// <summary>
/// The <c>HfToConfig</c> command: a local <c>config.json</c> in, a model YAML out (stdout or <c>-o FILE</c>), with the
/// options of the reference's <c>hf_to_config.py</c>. Exit codes: 0 success, 2 invalid input, 1 anything else.
/// </summary>
internal static class HuggingFaceImportCommand
{
    /// <summary>One line of usage text.</summary>
    public const string Usage =
        "Usage: HfToConfig CONFIG_JSON [--run-type training|inference] [--global-batch-size N] [--gradient-accumulation-steps N] "
        + "[--seq-len N | --prompt-len N] [--decode-len N] [--use-flashattention true|false|auto] [--flash-tile-size N] [--image-size N] [--num-classes N] [-o|--output FILE]";

    /// <summary>Parses <paramref name="args"/>, imports and writes the YAML.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="stdout">Receives the YAML when no output file is given.</param>
    /// <param name="stderr">Receives notes and errors.</param>
    /// <returns>The exit code.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var problems = Parse(args, out var options, out var input, out var output);
        if (input is null) problems.Add("Missing the config.json path (a local file or a folder holding config.json; nothing is downloaded).");
        if (problems.Count > 0)
        {
            foreach (var problem in problems) stderr.WriteLine("error: " + problem);
            stderr.WriteLine(Usage);
            return 2;
        }

        try
        {
            var import = HuggingFaceModelImporter.Import(input!, options);
            if (output is null) stdout.Write(import.Yaml);
            else File.WriteAllText(output, import.Yaml);
            foreach (var note in import.Notes) stderr.WriteLine("[INFO] " + note);
            if (output is not null) stderr.WriteLine($"Model config written to {output}");
            return 0;
        }
        catch (ConfigurationException e)
        {
            stderr.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    /// <summary>The import options, the input and output paths, and every problem with the arguments, in order.</summary>
    private static List<string> Parse(
        IReadOnlyList<string> args, out HuggingFaceImportOptions options, out string? input, out string? output)
    {
        var problems = new List<string>();
        options = new HuggingFaceImportOptions();
        input = null;
        output = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (i + 1 < args.Count) return args[++i];
                problems.Add($"Option '{arg}' needs a value.");
                return null;
            }

            int? Number()
            {
                var text = Value();
                if (text is null) return null;
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0) return n;
                problems.Add($"Option '{arg}' needs a non-negative integer (got '{text}').");
                return null;
            }

            switch (arg)
            {
                case "--run-type": options = WithRunType(options, Value(), problems); break;
                case "--global-batch-size": options = options with { GlobalBatchSize = Number() ?? options.GlobalBatchSize }; break;
                case "--gradient-accumulation-steps": options = options with { GradientAccumulationSteps = Number() ?? options.GradientAccumulationSteps }; break;
                case "--seq-len": options = options with { SequenceLength = Number() ?? options.SequenceLength }; break;
                case "--prompt-len": options = options with { PromptLength = Number() ?? options.PromptLength }; break;
                case "--decode-len": options = options with { DecodeLength = Number() ?? options.DecodeLength }; break;
                case "--flash-tile-size": options = options with { FlashTileSize = Number() ?? options.FlashTileSize }; break;
                case "--image-size": options = options with { ImageSize = Number() ?? options.ImageSize }; break;
                case "--num-classes": options = options with { NumClasses = Number() ?? options.NumClasses }; break;
                case "--use-flashattention": options = WithFlashAttention(options, Value(), problems); break;
                case "-o" or "--output": output = Value(); break;
                default:
                    if (arg.StartsWith('-') || input is not null) problems.Add($"Unknown argument '{arg}'.");
                    else input = arg;
                    break;
            }
        }

        return problems;
    }

    private static HuggingFaceImportOptions WithRunType(HuggingFaceImportOptions options, string? runType, List<string> problems)
    {
        if (runType is "training") return options with { RunType = RunType.Training };
        if (runType is "inference") return options with { RunType = RunType.Inference };
        if (runType is not null) problems.Add($"--run-type must be 'training' or 'inference' (got '{runType}').");
        return options;
    }

    private static HuggingFaceImportOptions WithFlashAttention(HuggingFaceImportOptions options, string? value, List<string> problems)
    {
        var flash = value?.Trim().ToLowerInvariant();
        if (flash is "true" or "1" or "yes" or "y") return options with { UseFlashAttention = true };
        if (flash is "false" or "0" or "no" or "n") return options with { UseFlashAttention = false };
        if (flash is "auto" or "none" or "null") return options with { UseFlashAttention = null };
        if (flash is not null) problems.Add($"--use-flashattention must be true, false or auto (got '{flash}').");
        return options;
    }
}
