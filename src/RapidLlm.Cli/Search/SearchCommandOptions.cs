using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Search;

namespace RapidLlm.Cli;

/// <summary>The parsed command line of <c>RunPerf search</c> and <c>RunPerf merge</c>.</summary>
internal sealed record SearchCommandOptions
{
    public const string SearchUsage =
        "Usage: RunPerf search --hardware_config HW.yaml --model_config MODEL.yaml --gpus N [--objective time|throughput|ttft] "
        + "[--top K] [--json FILE] [--csv FILE] [--png FILE] [--shard I/N] [--no-progress] [--headroom F] [--max-tp N] [--schedules all|LIST] [--threads N]";

    public const string MergeUsage = "Usage: RunPerf merge --json OUT.json SHARD1.json SHARD2.json ... [--csv FILE] [--png FILE] [--top K]";

    public string HardwarePath { get; init; } = "";
    public string ModelPath { get; init; } = "";
    public int Gpus { get; init; }
    public SearchObjective? Objective { get; init; }
    public int? Top { get; init; }
    public string? JsonPath { get; init; }
    public string? CsvPath { get; init; }
    public string? PngPath { get; init; }
    public SearchShard Shard { get; init; } = SearchShard.Whole;
    public bool NoProgress { get; init; }
    public double Headroom { get; init; }
    public int MaxTensorParallel { get; init; } = 8;
    public bool SearchSchedules { get; init; }
    public EquatableArray<PipelineSchedule> Schedules { get; init; }
    public int? Threads { get; init; }
    public IReadOnlyList<string> Inputs { get; init; } = [];

    public static SearchCommandOptions Parse(string command, IReadOnlyList<string> args, out List<string> problems)
    {
        var errors = new List<string>();
        var merge = command == "merge";
        var options = new SearchCommandOptions();
        var inputs = new List<string>();
        bool sawGpus = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg;
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0) (name, inline) = (arg[..eq], arg[(eq + 1)..]);

            string? Value()
            {
                if (inline is not null) return inline;
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) return args[++i];
                errors.Add($"Option '{name}' needs a value.");
                return null;
            }

            int? Integer(int minimum)
            {
                var text = Value();
                if (text is null) return null;
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
                errors.Add($"Option '{name}' needs a whole number ≥ {minimum} (got '{text}').");
                return null;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (merge) inputs.Add(arg);
                else errors.Add($"Unexpected argument '{arg}'.");
                continue;
            }

            switch (name.Replace('-', '_'))
            {
                case "__hardware_config" when !merge: options = options with { HardwarePath = Value() ?? "" }; break;
                case "__model_config" when !merge: options = options with { ModelPath = Value() ?? "" }; break;
                case "__gpus" when !merge: sawGpus = true; options = options with { Gpus = Integer(1) ?? 0 }; break;
                case "__objective" when !merge:
                {
                    var text = Value();
                    var objective = text switch
                    {
                        "time" => SearchObjective.TimePerBatch,
                        "throughput" => SearchObjective.Throughput,
                        "ttft" => SearchObjective.TimeToFirstToken,
                        _ => (SearchObjective?)null,
                    };
                    if (objective is null && text is not null) errors.Add($"--objective must be time, throughput or ttft (got '{text}').");
                    options = options with { Objective = objective };
                    break;
                }

                case "__top": options = options with { Top = Integer(1) }; break;
                case "__json": options = options with { JsonPath = Value() }; break;
                case "__csv": options = options with { CsvPath = Value() }; break;
                case "__png": options = options with { PngPath = Value() }; break;
                case "__shard" when !merge:
                {
                    var text = Value();
                    if (text is null) break;
                    if (SearchShard.TryParse(text, out var shard, out var problem)) options = options with { Shard = shard };
                    else errors.Add("--shard: " + problem + ".");
                    break;
                }

                case "__no_progress" when !merge: options = options with { NoProgress = true }; break;
                case "__headroom" when !merge:
                {
                    var text = Value();
                    if (text is null) break;
                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f >= 0 && f < 1) options = options with { Headroom = f };
                    else errors.Add($"--headroom needs a fraction in [0, 1) of each GPU's memory to keep free (got '{text}').");
                    break;
                }

                case "__max_tp" when !merge: options = options with { MaxTensorParallel = Integer(1) ?? 8 }; break;
                case "__threads" when !merge: options = options with { Threads = Integer(1) }; break;
                case "__schedules" when !merge:
                {
                    var text = Value();
                    if (text is null) break;
                    if (text == "all")
                    {
                        options = options with { SearchSchedules = true };
                        break;
                    }

                    var schedules = new List<PipelineSchedule>();
                    foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (ParseSchedule(item) is { } s) schedules.Add(s);
                        else errors.Add($"--schedules: '{item}' is not gpipe, 1f1b or interleaved_1f1b:V (V ≥ 2 virtual stages), nor 'all'.");
                    }

                    options = options with { Schedules = new EquatableArray<PipelineSchedule>(schedules) };
                    break;
                }

                default: errors.Add($"Unknown option '{arg}' for RunPerf {command}."); break;
            }
        }

        if (merge)
        {
            if (options.JsonPath is null) errors.Add("Missing required option --json (the merged result file).");
            if (inputs.Count == 0) errors.Add("Name the shard files to merge (the JSON files of RunPerf search --shard I/N).");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.HardwarePath)) errors.Add("Missing required option --hardware_config (the hardware YAML file).");
            if (string.IsNullOrWhiteSpace(options.ModelPath)) errors.Add("Missing required option --model_config (the model YAML file).");
            if (!sawGpus) errors.Add("Missing required option --gpus (the number of GPUs every candidate uses).");
        }

        problems = errors;
        return options with { Inputs = inputs };
    }

    private static PipelineSchedule? ParseSchedule(string text)
    {
        var parts = text.Split(':');
        var kind = PipelineSchedule.KindFromYamlName(parts[0]);
        if (kind == PipelineScheduleKind.Interleaved1F1B)
        {
            return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 2
                ? PipelineSchedule.Interleaved(v)
                : null;
        }

        if (parts.Length != 1) return null;
        return kind switch
        {
            PipelineScheduleKind.GPipe => PipelineSchedule.GPipe,
            PipelineScheduleKind.OneFOneB => PipelineSchedule.OneFOneB,
            _ => null,
        };
    }

    public SearchOptions ToSearchOptions() => new()
    {
        Gpus = Gpus,
        Objective = Objective,
        MemoryHeadroom = Headroom,
        MaxTensorParallel = MaxTensorParallel,
        SearchSchedules = SearchSchedules,
        Schedules = Schedules,
        Shard = Shard,
        MaxDegreeOfParallelism = Threads,
    };
}
