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

    public static SearchResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("A search result is a JSON object.");
            var schema = String(root, "schema");
            if (schema != SearchResult.Schema) throw new FormatException($"schema is '{schema}', not '{SearchResult.Schema}'.");
            var runType = String(root, "run_type") switch
            {
                "training" => RunType.Training,
                "inference" => RunType.Inference,
                var other => throw new FormatException($"run_type '{other}' is neither training nor inference."),
            };
            var objectiveName = String(root, "objective");
            var objective = ObjectiveFromName(objectiveName) ?? throw new FormatException($"objective '{objectiveName}' is not time, throughput or ttft.");
            if (!SearchShard.TryParse(String(root, "shard"), out var shard, out var problem)) throw new FormatException(problem);
            var candidates = new List<SearchCandidate>();
            foreach (var c in Element(root, "candidates").EnumerateArray()) candidates.Add(Candidate(c, runType, Long(root, "parameters"), Double(root, "capacity_gib") * Gib));
            var result = new SearchResult(
                runType, Int(root, "gpus"), objective, shard, new EquatableArray<SearchCandidate>(candidates),
                Int(root, "evaluated"), Int(root, "feasible"), Int(root, "pruned"), Int(root, "rejected"),
                Long(root, "parameters"), Double(root, "capacity_gib") * Gib, Double(root, "memory_headroom"));
            return root.TryGetProperty("top", out var top) ? result with { Top = top.GetInt32() } : result;
        }
        catch (JsonException e)
        {
            throw new FormatException("not valid JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException("a value has the wrong type: " + e.Message, e);
        }
    }

    private static SearchCandidate Candidate(JsonElement c, RunType runType, long parameters, double capacityBytes)
    {
        var training = runType == RunType.Training;
        var point = new SearchPoint
        {
            RunType = runType,
            TensorParallel = Int(c, "tp"),
            ContextParallel = Int(c, "cp"),
            PipelineStages = Int(c, "pp"),
            SequenceParallel = !c.TryGetProperty("sequence_parallel", out var sp) || sp.GetBoolean(),
        }.Normalized();
        if (training)
        {
            var scheduleName = String(c, "pipeline_schedule");
            var kind = PipelineSchedule.KindFromYamlName(scheduleName ?? "") ?? throw new FormatException($"pipeline_schedule '{scheduleName}' is unknown.");
            point = point with
            {
                DataParallel = Int(c, "dp"),
                ExpertParallel = Int(c, "ep"),
                MicroBatches = Int(c, "micro_batches"),
                ZeroStage = Int(c, "zero_stage"),
                FullRecompute = String(c, "recompute") switch
                {
                    "full" => true,
                    "selective" => false,
                    var other => throw new FormatException($"recompute '{other}' is neither full nor selective."),
                },
                Schedule = kind == PipelineScheduleKind.GPipe ? PipelineSchedule.GPipe
                    : kind == PipelineScheduleKind.OneFOneB ? PipelineSchedule.OneFOneB
                    : PipelineSchedule.Interleaved(Int(c, "virtual_stages")),
            };
        }
        else
        {
            point = point with { Replicas = Int(c, "replicas"), Batch = Int(c, "batch") };
        }

        return new SearchCandidate(
            point,
            training ? Double(c, "time_per_batch_s") : null,
            training ? null : Double(c, "total_s"),
            training ? null : Double(c, "ttft_s"),
            Double(c, "tokens_per_s"), Double(c, "mfu"), parameters, Double(c, "peak_gib") * Gib, capacityBytes,
            Element(c, "fits").GetBoolean(), Double(c, "energy_j"));
    }

    private static JsonElement Element(JsonElement e, string key) =>
        e.TryGetProperty(key, out var value) ? value : throw new FormatException($"'{key}' is missing.");

    private static string? String(JsonElement e, string key) => Element(e, key).GetString();

    private static int Int(JsonElement e, string key) => Element(e, key).GetInt32();

    private static long Long(JsonElement e, string key) => Element(e, key).GetInt64();

    private static double Double(JsonElement e, string key)
    {
        var value = Element(e, key);
        return value.ValueKind == JsonValueKind.Null ? double.NaN : value.GetDouble();
    }
}
