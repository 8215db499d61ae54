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
        var sawGpus = false;
        var cursor = new ArgumentCursor(args, errors);
        while (cursor.MoveNext())
        {
            if (!cursor.IsOption)
            {
                if (merge) inputs.Add(cursor.Argument);
                else errors.Add($"Unexpected argument '{cursor.Argument}'.");
                continue;
            }

            sawGpus |= !merge && cursor.Key == "__gpus";
            options = WithOption(options, command, merge, cursor, errors);
        }

        errors.AddRange(MissingOptions(options, merge, inputs.Count, sawGpus));
        problems = errors;
        return options with { Inputs = inputs };
    }

    // One option and its value (read through the cursor) applied to the options; a bad value adds an error instead.
    private static SearchCommandOptions WithOption(
        SearchCommandOptions options, string command, bool merge, ArgumentCursor cursor, List<string> errors)
    {
        switch (cursor.Key)
        {
            case "__hardware_config" when !merge: return options with { HardwarePath = cursor.Value() ?? "" };
            case "__model_config" when !merge: return options with { ModelPath = cursor.Value() ?? "" };
            case "__gpus" when !merge: return options with { Gpus = ParseGpus(cursor, errors) };
            case "__objective" when !merge: return options with { Objective = ParseObjective(cursor.Value(), errors) };
            case "__top": return options with { Top = cursor.Integer(1) };
            case "__json": return options with { JsonPath = cursor.Value() };
            case "__csv": return options with { CsvPath = cursor.Value() };
            case "__png": return options with { PngPath = cursor.Value() };
            case "__shard" when !merge: return cursor.Value() is { } shard ? WithShard(options, shard, errors) : options;
            case "__no_progress" when !merge: return options with { NoProgress = true };
            case "__headroom" when !merge:
                return cursor.Value() is { } headroom ? WithHeadroom(options, headroom, errors) : options;
            case "__max_tp" when !merge: return options with { MaxTensorParallel = cursor.Integer(1) ?? 8 };
            case "__threads" when !merge: return options with { Threads = cursor.Integer(1) };
            case "__schedules" when !merge:
                return cursor.Value() is { } schedules ? WithSchedules(options, schedules, errors) : options;
            default:
                errors.Add($"Unknown option '{cursor.Argument}' for RunPerf {command}.");
                return options;
        }
    }

    // The library's range (1 to the most devices one run may model), checked before any work.
    private static int ParseGpus(ArgumentCursor cursor, List<string> errors)
    {
        var text = cursor.Value();
        if (text is null) return 0;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            errors.Add($"Option '{cursor.Name}' needs a whole number ≥ 1 (got '{text}').");
            return 0;
        }

        if (ParallelismSearch.GpusProblem(value) is not { } problem) return (int)value;
        errors.Add(problem);
        return 0;
    }

    private static SearchObjective? ParseObjective(string? text, List<string> errors)
    {
        var objective = text switch
        {
            "time" => SearchObjective.TimePerBatch,
            "throughput" => SearchObjective.Throughput,
            "ttft" => SearchObjective.TimeToFirstToken,
            _ => (SearchObjective?)null,
        };
        if (objective is null && text is not null) errors.Add($"--objective must be time, throughput or ttft (got '{text}').");
        return objective;
    }

    private static SearchCommandOptions WithShard(SearchCommandOptions options, string text, List<string> errors)
    {
        if (SearchShard.TryParse(text, out var shard, out var problem)) return options with { Shard = shard };
        errors.Add("--shard: " + problem + ".");
        return options;
    }

    private static SearchCommandOptions WithHeadroom(SearchCommandOptions options, string text, List<string> errors)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f >= 0 && f < 1) return options with { Headroom = f };
        errors.Add($"--headroom needs a fraction in [0, 1) of each GPU's memory to keep free (got '{text}').");
        return options;
    }

    private static SearchCommandOptions WithSchedules(SearchCommandOptions options, string text, List<string> errors)
    {
        if (text == "all") return options with { SearchSchedules = true };

        var schedules = new List<PipelineSchedule>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseSchedule(item) is { } s) schedules.Add(s);
            else errors.Add($"--schedules: '{item}' is not gpipe, 1f1b or interleaved_1f1b:V (V ≥ 2 virtual stages), nor 'all'.");
        }

        return options with { Schedules = new EquatableArray<PipelineSchedule>(schedules) };
    }

    private static IEnumerable<string> MissingOptions(SearchCommandOptions options, bool merge, int inputCount, bool sawGpus)
    {
        if (merge)
        {
            if (options.JsonPath is null) yield return "Missing required option --json (the merged result file).";
            if (inputCount == 0) yield return "Name the shard files to merge (the JSON files of RunPerf search --shard I/N).";
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.HardwarePath)) yield return "Missing required option --hardware_config (the hardware YAML file).";
            if (string.IsNullOrWhiteSpace(options.ModelPath)) yield return "Missing required option --model_config (the model YAML file).";
            if (!sawGpus) yield return "Missing required option --gpus (the number of GPUs every candidate uses).";
        }
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

    /// <summary>Walks the arguments: an option's name (with <c>--name=value</c> split) and the value after it.</summary>
    private sealed class ArgumentCursor(IReadOnlyList<string> args, List<string> errors)
    {
        private int _index = -1;
        private string? _inline;

        /// <summary>The argument as written.</summary>
        public string Argument { get; private set; } = "";

        /// <summary>The option's name as written, without an inline value.</summary>
        public string Name { get; private set; } = "";

        /// <summary>The name with dashes as underscores, so <c>--max-tp</c> and <c>--max_tp</c> are one option.</summary>
        public string Key => Name.Replace('-', '_');

        public bool IsOption => Argument.StartsWith("--", StringComparison.Ordinal);

        public bool MoveNext()
        {
            if (++_index >= args.Count) return false;
            Argument = Name = args[_index];
            _inline = null;
            var eq = Argument.IndexOf('=', StringComparison.Ordinal);
            if (IsOption && eq > 0) (Name, _inline) = (Argument[..eq], Argument[(eq + 1)..]);
            return true;
        }

        /// <summary>The option's value: inline, else the next argument unless it is an option; null (and an error) if none.</summary>
        public string? Value()
        {
            if (_inline is not null) return _inline;
            if (_index + 1 < args.Count && !args[_index + 1].StartsWith("--", StringComparison.Ordinal)) return args[++_index];
            errors.Add($"Option '{Name}' needs a value.");
            return null;
        }

        public int? Integer(int minimum)
        {
            var text = Value();
            if (text is null) return null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
            errors.Add($"Option '{Name}' needs a whole number ≥ {minimum} (got '{text}').");
            return null;
        }
    }
}
