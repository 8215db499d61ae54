namespace RapidLlm.Cli;

/// <summary>The parsed command line of the RunPerf tool (the reference's <c>run_perf.py</c> flags).</summary>
/// <param name="HardwareConfigPath">The hardware YAML.</param>
/// <param name="ModelConfigPath">The model YAML.</param>
/// <param name="OutputDirectory">Folder receiving the reference's result files (default <c>output</c>).</param>
/// <param name="JsonPath">Where to write the JSON result, if anywhere.</param>
/// <param name="MemoryOnly">Estimate memory only, skipping timing.</param>
/// <param name="MemoryBreakdown">Print the per-component memory table.</param>
/// <param name="ReferenceEnergy">Count energy as the reference does (one layer's compute and DRAM traffic).</param>
public sealed record RunPerfOptions(
    string HardwareConfigPath,
    string ModelConfigPath,
    string OutputDirectory,
    string? JsonPath,
    bool MemoryOnly,
    bool MemoryBreakdown,
    bool ReferenceEnergy = false)
{
    /// <summary>One line of usage text.</summary>
    public const string Usage =
        "Usage: RunPerf --hardware_config HW.yaml --model_config MODEL.yaml [--output_dir DIR] [--json FILE] [--memory-only] [--memory-breakdown] [--reference-energy]";

    /// <summary>Parses the arguments; every problem is collected so the user sees all of them at once.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="problems">Every problem found; empty when the command line is usable.</param>
    public static RunPerfOptions Parse(IReadOnlyList<string> args, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        string? hardware = null, model = null, json = null;
        var output = "output";
        bool memoryOnly = false, memoryBreakdown = false, referenceEnergy = false;

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
                default: errors.Add($"Unknown option '{arg}'."); break;
            }
        }

        if (string.IsNullOrWhiteSpace(hardware)) errors.Add("Missing required option --hardware_config (the hardware YAML file).");
        if (string.IsNullOrWhiteSpace(model)) errors.Add("Missing required option --model_config (the model YAML file).");
        problems = errors;
        return new RunPerfOptions(
            ExpandPath(hardware ?? ""), ExpandPath(model ?? ""), ExpandPath(output), json is null ? null : ExpandPath(json),
            memoryOnly, memoryBreakdown, referenceEnergy);
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
