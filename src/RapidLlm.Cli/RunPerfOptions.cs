namespace RapidLlm.Cli;

/// <summary>The parsed command line of the RunPerf tool (the reference's <c>run_perf.py</c> flags).</summary>
/// <param name="HardwareConfigPath">The hardware YAML.</param>
/// <param name="ModelConfigPath">The model YAML.</param>
/// <param name="OutputDirectory">Folder receiving the reference's result files (default <c>output</c>).</param>
/// <param name="JsonPath">Where to write the JSON result, if anywhere.</param>
/// <param name="MemoryOnly">Estimate memory only, skipping timing.</param>
/// <param name="MemoryBreakdown">Print the per-component memory table.</param>
/// <param name="ReferenceEnergy">Count energy as the reference does (one layer's compute and DRAM traffic).</param>
/// <param name="NoMemory">Skip the per-GPU memory simulation (timing only); the JSON then has no memory block.</param>
internal sealed record RunPerfOptions(
    string HardwareConfigPath,
    string ModelConfigPath,
    string OutputDirectory,
    string? JsonPath,
    bool MemoryOnly,
    bool MemoryBreakdown,
    bool ReferenceEnergy = false,
    bool NoMemory = false)
{
    /// <summary>One line of usage text.</summary>
    public const string Usage =
        "Usage: RunPerf --hardware_config HW.yaml --model_config MODEL.yaml [--output_dir DIR] [--json FILE] [--memory-only | --no-memory] [--memory-breakdown] [--reference-energy]";

    /// <summary>Parses the arguments; every problem is collected so the user sees all of them at once.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="problems">Every problem found; empty when the command line is usable.</param>
    public static RunPerfOptions Parse(IReadOnlyList<string> args, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        string? hardware = null, model = null, json = null;
        var output = "output";
        bool memoryOnly = false, memoryBreakdown = false, referenceEnergy = false, noMemory = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg;
            string? inlineValue = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }

            string? TakeValue()
            {
                if (inlineValue is not null) return inlineValue;
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) return args[++i];
                errors.Add($"Option '{name}' needs a value.");
                return null;
            }

            switch (name.Replace('-', '_'))
            {
                case "__hardware_config": hardware = TakeValue(); break;
                case "__model_config": model = TakeValue(); break;
                case "__output_dir": output = TakeValue() ?? output; break;
                case "__json": json = TakeValue(); break;
                case "__memory_only": memoryOnly = true; break;
                case "__memory_breakdown": memoryBreakdown = true; break;
                case "__reference_energy": referenceEnergy = true; break;
                case "__no_memory": noMemory = true; break;
                default: errors.Add($"Unknown option '{arg}'."); break;
            }
        }

        if (string.IsNullOrWhiteSpace(hardware)) errors.Add("Missing required option --hardware_config (the hardware YAML file).");
        if (string.IsNullOrWhiteSpace(model)) errors.Add("Missing required option --model_config (the model YAML file).");
        if (memoryOnly && noMemory) errors.Add("--memory-only and --no-memory exclude each other; give one of them.");
        if (memoryBreakdown && noMemory) errors.Add("--memory-breakdown needs the memory simulation that --no-memory skips; give one of them.");
        if (string.IsNullOrWhiteSpace(output)) errors.Add("Option '--output_dir' needs a folder name.");
        if (json is not null && string.IsNullOrWhiteSpace(json)) errors.Add("Option '--json' needs a file name.");
        problems = errors;
        return new RunPerfOptions(
            ExpandPath(hardware ?? ""), ExpandPath(model ?? ""), ExpandPath(output), json is null ? null : ExpandPath(json),
            memoryOnly, memoryBreakdown, referenceEnergy, noMemory);
    }

    /// <summary>Expands <c>~</c> and environment variables, as the reference does.</summary>
    private static string ExpandPath(string path)
    {
        if (path.Length == 0) return path;
        // $VAR and ${VAR} are replaced when set and left alone otherwise, like Python's os.path.expandvars.
        var expanded = System.Text.RegularExpressions.Regex.Replace(path, @"\$(\w+|\{[^}]*\})", match =>
        {
            var variable = match.Groups[1].Value.Trim('{', '}');
            return Environment.GetEnvironmentVariable(variable) ?? match.Value;
        });
        if (expanded == "~" || expanded.StartsWith("~/", StringComparison.Ordinal))
            expanded = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + expanded[1..];
        return expanded;
    }
}
