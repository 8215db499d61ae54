using System.Globalization;
using System.Text;
using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Memory;

namespace RapidLlm.Search;

/// <summary>The <c>rapid-llm-search/1</c> JSON document and its CSV form (the command-line contract's §Search).</summary>
internal static class SearchJson
{
    private const double Gib = DeviceMemory.BytesPerGib;

    public static string ObjectiveName(SearchObjective objective) => objective switch
    {
        SearchObjective.TimePerBatch => "time",
        SearchObjective.Throughput => "throughput",
        _ => "ttft",
    };

    public static SearchObjective? ObjectiveFromName(string? name) => name switch
    {
        "time" => SearchObjective.TimePerBatch,
        "throughput" => SearchObjective.Throughput,
        "ttft" => SearchObjective.TimeToFirstToken,
        _ => null,
    };

    public static string Write(SearchResult result, bool indented)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            json.WriteStartObject();
            json.WriteString("schema", SearchResult.Schema);
            json.WriteString("run_type", result.RunType == RunType.Training ? "training" : "inference");
            json.WriteNumber("gpus", result.Gpus);
            json.WriteString("objective", ObjectiveName(result.Objective));
            json.WriteString("shard", result.Shard.ToString());
            json.WriteNumber("evaluated", result.Evaluated);
            json.WriteNumber("feasible", result.Feasible);
            json.WriteNumber("pruned", result.Pruned);
            json.WriteNumber("rejected", result.Rejected);
            json.WriteNumber("parameters", result.ParameterCount);
            Number(json, "capacity_gib", result.CapacityBytes / Gib);
            json.WriteNumber("memory_headroom", result.MemoryHeadroom);
            if (result.Top is { } top) json.WriteNumber("top", top);
            if (result.Fingerprint is { } fingerprint) json.WriteString("fingerprint", fingerprint);
            json.WriteStartArray("candidates");
            foreach (var c in result.Candidates)
            {
                json.WriteStartObject();
                foreach (var (key, value) in Fields(c))
                {
                    switch (value)
                    {
                        case int i: json.WriteNumber(key, i); break;
                        case double d: Number(json, key, d); break;
                        case bool b: json.WriteBoolean(key, b); break;
                        case string s: json.WriteString(key, s); break;
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Csv(SearchResult result)
    {
        var text = new StringBuilder();
        var header = Fields(Example(result.RunType)).Select(f => f.Key);
        text.Append(string.Join(',', header)).Append('\n');
        foreach (var c in result.Candidates)
        {
            text.Append(string.Join(',', Fields(c).Select(f => f.Value switch
            {
                double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "",
                bool b => b ? "true" : "false",
                int i => i.ToString(CultureInfo.InvariantCulture),
                _ => f.Value.ToString(),
            }))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A candidate's keys and values, in the document's order (the contract's keys, then ours).</summary>
    private static IEnumerable<KeyValuePair<string, object>> Fields(SearchCandidate c)
    {
        var p = c.Point;
        KeyValuePair<string, object> F(string key, object value) => new(key, value);
        yield return F("tp", p.TensorParallel);
        yield return F("cp", p.ContextParallel);
        yield return F("pp", p.PipelineStages);
        if (p.RunType == RunType.Training)
        {
            yield return F("dp", p.DataParallel);
            yield return F("ep", p.ExpertParallel);
            yield return F("micro_batches", p.MicroBatches);
            yield return F("zero_stage", p.ZeroStage);
            yield return F("recompute", p.RecomputeName);
            yield return F("pipeline_schedule", p.Schedule.YamlName);
            yield return F("virtual_stages", p.Schedule.VirtualStages);
            yield return F("sequence_parallel", p.SequenceParallel);
            yield return F("time_per_batch_s", c.TimePerBatchSeconds ?? double.NaN);
        }
        else
        {
            yield return F("replicas", p.Replicas);
            yield return F("batch", p.Batch);
            yield return F("sequence_parallel", p.SequenceParallel);
            yield return F("total_s", c.TotalSeconds ?? double.NaN);
            yield return F("ttft_s", c.TimeToFirstTokenSeconds ?? double.NaN);
        }

        yield return F("tokens_per_s", c.TokensPerSecond);
        yield return F("mfu", c.ModelFlopsUtilization);
        yield return F("peak_gib", c.PeakMemoryBytes / Gib);
        yield return F("fits", c.Fits);
        yield return F("energy_j", c.EnergyJoules);
    }

    private static SearchCandidate Example(RunType runType) =>
        new(new SearchPoint { RunType = runType }, 0, 0, 0, 0, 0, 0, 0, 0, true, 0);

    private static void Number(Utf8JsonWriter json, string key, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(key, value);
        else json.WriteNull(key);
    }

    /// <summary>The most problems one document's message lists; the rest are counted.</summary>
    private const int MaxListedProblems = 20;

    public static SearchResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException("not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"a search result is a JSON object, not {Kind(root)}.");
            var schema = root.TryGetProperty("schema", out var schemaElement) && schemaElement.ValueKind == JsonValueKind.String ? schemaElement.GetString() : null;
            if (schema != SearchResult.Schema) throw new FormatException($"schema: expected \"{SearchResult.Schema}\", got {(schema is null ? "none" : $"'{schema}'")}.");
            var read = new DocumentReader();
            var result = read.Result(root);
            if (read.Problems.Count == 0) return result!;
            var listed = read.Problems.Take(MaxListedProblems).ToList();
            var more = read.Problems.Count - listed.Count;
            throw new FormatException(string.Join("; ", listed) + (more > 0 ? $"; and {more} more problem(s)" : "") + ".");
        }
    }

    /// <summary>"a string", "a number" and so on: what a JSON value is, for messages.</summary>
    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>
    /// Reads the document's values, collecting every problem with its key path (<c>candidates[3].tp</c>) and what was
    /// expected; a missing or wrong value reads as a placeholder so the rest of the document is still checked.
    /// </summary>
    private sealed class DocumentReader
    {
        public List<string> Problems { get; } = [];

        public SearchResult? Result(JsonElement root)
        {
            var runType = String(root, "", "run_type") switch
            {
                "training" => RunType.Training,
                "inference" => RunType.Inference,
                null => RunType.Training,
                var other => Problem<RunType>("run_type", $"expected \"training\" or \"inference\", got '{other}'"),
            };
            var objectiveName = String(root, "", "objective");
            var objective = ObjectiveFromName(objectiveName)
                ?? (objectiveName is null ? SearchObjective.TimePerBatch : Problem<SearchObjective>("objective", $"expected \"time\", \"throughput\" or \"ttft\", got '{objectiveName}'"));
            var shardText = String(root, "", "shard");
            var shard = SearchShard.Whole;
            if (shardText is not null && !SearchShard.TryParse(shardText, out shard, out var problem)) Problems.Add("shard: " + problem);
            var parameters = Long(root, "", "parameters");
            var capacityBytes = Figure(root, "", "capacity_gib") * Gib;
            var candidates = new List<SearchCandidate>();
            if (Element(root, "", "candidates") is { } list)
            {
                if (list.ValueKind != JsonValueKind.Array) Problems.Add($"candidates: expected an array, got {Kind(list)}");
                else
                {
                    var i = 0;
                    foreach (var c in list.EnumerateArray()) candidates.Add(Candidate(c, $"candidates[{i++}].", runType, parameters, capacityBytes));
                }
            }

            var headroom = Figure(root, "", "memory_headroom");
            if (headroom >= 1) Problems.Add($"memory_headroom: expected a fraction below 1, got {headroom.ToString("R", CultureInfo.InvariantCulture)}");
            var result = new SearchResult(
                runType, Int(root, "", "gpus", 1), objective, shard, new EquatableArray<SearchCandidate>(candidates),
                Int(root, "", "evaluated", 0), Int(root, "", "feasible", 0), Int(root, "", "pruned", 0), Int(root, "", "rejected", 0),
                parameters, capacityBytes, headroom);
            if (root.TryGetProperty("fingerprint", out var fingerprint))
            {
                if (fingerprint.ValueKind == JsonValueKind.String) result = result with { Fingerprint = fingerprint.GetString() };
                else Problems.Add($"fingerprint: expected a string, got {Kind(fingerprint)}");
            }

            return root.TryGetProperty("top", out _) ? result with { Top = Int(root, "", "top", 0) } : result;
        }

        private SearchCandidate Candidate(JsonElement c, string at, RunType runType, long parameters, double capacityBytes)
        {
            if (c.ValueKind != JsonValueKind.Object)
            {
                Problems.Add($"{at.TrimEnd('.')}: expected an object, got {Kind(c)}");
                return Example(runType);
            }

            var training = runType == RunType.Training;
            var point = new SearchPoint
            {
                RunType = runType,
                TensorParallel = Int(c, at, "tp", 1),
                ContextParallel = Int(c, at, "cp", 1),
                PipelineStages = Int(c, at, "pp", 1),
                SequenceParallel = !c.TryGetProperty("sequence_parallel", out _) || Bool(c, at, "sequence_parallel"),
            }.Normalized();
            point = training ? TrainingAxes(c, at, point) : point with { Replicas = Int(c, at, "replicas", 1), Batch = Int(c, at, "batch", 1) };
            return new SearchCandidate(
                point,
                training ? Figure(c, at, "time_per_batch_s") : null,
                training ? null : Figure(c, at, "total_s"),
                training ? null : Figure(c, at, "ttft_s"),
                Figure(c, at, "tokens_per_s"), Figure(c, at, "mfu"), parameters, Figure(c, at, "peak_gib") * Gib, capacityBytes,
                Bool(c, at, "fits"), Figure(c, at, "energy_j"));
        }

        private SearchPoint TrainingAxes(JsonElement c, string at, SearchPoint point)
        {
            var scheduleName = String(c, at, "pipeline_schedule");
            var kind = scheduleName is null ? PipelineScheduleKind.GPipe
                : PipelineSchedule.KindFromYamlName(scheduleName) ?? Problem<PipelineScheduleKind>(at + "pipeline_schedule", $"expected gpipe, 1f1b or interleaved_1f1b, got '{scheduleName}'");
            var zero = Int(c, at, "zero_stage", 0);
            if (zero > 3) Problems.Add($"{at}zero_stage: expected 0 to 3, got {zero}");
            return point with
            {
                DataParallel = Int(c, at, "dp", 1),
                ExpertParallel = Int(c, at, "ep", 1),
                MicroBatches = Int(c, at, "micro_batches", 1),
                ZeroStage = zero,
                FullRecompute = String(c, at, "recompute") switch
                {
                    "full" => true,
                    "selective" or null => false,
                    var other => Problem<bool>(at + "recompute", $"expected \"full\" or \"selective\", got '{other}'"),
                },
                Schedule = kind == PipelineScheduleKind.GPipe ? PipelineSchedule.GPipe
                    : kind == PipelineScheduleKind.OneFOneB ? PipelineSchedule.OneFOneB
                    : PipelineSchedule.Interleaved(Math.Max(2, Int(c, at, "virtual_stages", 2))),
            };
        }

        private T Problem<T>(string path, string message) where T : struct
        {
            Problems.Add($"{path}: {message}");
            return default;
        }

        private JsonElement? Element(JsonElement e, string at, string key)
        {
            if (e.TryGetProperty(key, out var value)) return value;
            Problems.Add($"{at}{key}: missing");
            return null;
        }

        private string? String(JsonElement e, string at, string key)
        {
            if (Element(e, at, key) is not { } value) return null;
            if (value.ValueKind == JsonValueKind.String) return value.GetString();
            Problems.Add($"{at}{key}: expected a string, got {Kind(value)}");
            return null;
        }

        private bool Bool(JsonElement e, string at, string key)
        {
            if (Element(e, at, key) is not { } value) return false;
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
            Problems.Add($"{at}{key}: expected true or false, got {Kind(value)}");
            return false;
        }

        private int Int(JsonElement e, string at, string key, int minimum) => (int)Math.Min(Whole(e, at, key, minimum, int.MaxValue), int.MaxValue);

        private long Long(JsonElement e, string at, string key) => Whole(e, at, key, 0, long.MaxValue);

        private long Whole(JsonElement e, string at, string key, long minimum, long maximum)
        {
            if (Element(e, at, key) is not { } value) return minimum;
            if (value.ValueKind != JsonValueKind.Number)
                Problems.Add($"{at}{key}: expected a whole number, got {Kind(value)}");
            else if (!value.TryGetInt64(out var number))
                Problems.Add($"{at}{key}: expected a whole number, got {value.GetRawText()}");
            else if (number < minimum || number > maximum)
                Problems.Add(string.Create(CultureInfo.InvariantCulture, $"{at}{key}: expected a whole number from {minimum} to {maximum}, got {number}"));
            else return number;
            return minimum;
        }

        /// <summary>A figure: a finite number ≥ 0, or null (what the writer puts for a figure that is not finite).</summary>
        private double Figure(JsonElement e, string at, string key)
        {
            if (Element(e, at, key) is not { } value) return 0;
            if (value.ValueKind == JsonValueKind.Null) return double.NaN;
            if (value.ValueKind != JsonValueKind.Number)
                Problems.Add($"{at}{key}: expected a number, got {Kind(value)}");
            else if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                Problems.Add($"{at}{key}: expected a finite number, got {value.GetRawText()}");
            else if (number < 0)
                Problems.Add($"{at}{key}: expected a number ≥ 0, got {value.GetRawText()}");
            else return number;
            return 0;
        }
    }
}
