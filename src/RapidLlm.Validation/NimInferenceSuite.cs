using System.Collections.Immutable;
using System.Globalization;
using RapidLlm.Configuration;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>
/// NVIDIA NIM's Llama-3.3-70B serving benchmark (8×A100 bf16 at TP8, 4×H100 fp16 at TP4): prompt/output lengths
/// × concurrency 1, 5, 25, compared on time to first token, inter-token latency or the end-to-end request time.
/// </summary>
public static class NimInferenceSuite
{
    /// <summary>The two devices the data covers.</summary>
    public static IReadOnlyList<string> Devices { get; } = ["A100", "H100"];

    /// <summary>The metrics a NIM row supports.</summary>
    public static IReadOnlyList<ValidationMetric> Metrics { get; } =
        [ValidationMetric.RequestSeconds, ValidationMetric.TimeToFirstTokenSeconds, ValidationMetric.InterTokenLatencySeconds];

    /// <summary>The identifier of the suite for <paramref name="device"/> and <paramref name="metric"/>.</summary>
    /// <param name="device"><c>A100</c> or <c>H100</c>.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    public static string IdFor(string device, ValidationMetric metric) => $"nim-{device.ToLowerInvariant()}-llama33-70b-{MetricSlug(metric)}";

    /// <summary>Builds the suite for one device and metric.</summary>
    /// <param name="sources">Data and config folders.</param>
    /// <param name="device"><c>A100</c> (8 GPUs, TP8) or <c>H100</c> (4 GPUs, TP4).</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="hardwareFile">Base hardware YAML; the reference's fitted file for the device when null.</param>
    /// <param name="engineFile">
    /// A serving-engine overlay merged into <paramref name="hardwareFile"/> (a calibrated preset): NIM runs TensorRT-LLM,
    /// <c>engines/nim_tensorrt_llm.yaml</c> (<see cref="ValidationSources.Engine"/>). Null prices the bare kernels.
    /// </param>
    public static ValidationSuite Create(
        ValidationSources sources, string device, ValidationMetric metric, string? hardwareFile = null, string? engineFile = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (!Metrics.Contains(metric)) throw new ArgumentOutOfRangeException(nameof(metric), metric, "NIM rows give request time, TTFT and ITL");
        var (file, tp, hardwareName) = device switch
        {
            "A100" => ("nvidia_data/8xA100_bf16_Llama3_3-70B.csv", 8, "a100_80GB_inf.fitted.yaml"),
            "H100" => ("nvidia_data/4xH100_fp16_Llama3_3-70B.csv", 4, "H100_SXM5_80GB.fitted.yaml"),
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, "the NIM data covers 8×A100 and 4×H100"),
        };
        var hardware = hardwareFile ?? sources.Hardware(hardwareName);
        var engine = hardwareFile is not null && engineFile is not null ? File.ReadAllText(engineFile) : null;
        var served = engine is not null;
        var tools = device == "A100" ? ReadOtherTools(sources) : new OtherToolTables();
        var points = CsvTable.Read(sources.Data(file)).Rows.Select(row =>
        {
            int input = row.Integer("Input Tokens"), output = row.Integer("Output Tokens"), concurrency = row.Integer("Concurrency");
            double ttft = row.Number("TTFT (ms)") / 1000.0, itl = row.Number("ITL (ms)") / 1000.0;
            var measured = metric switch
            {
                ValidationMetric.TimeToFirstTokenSeconds => ttft,
                ValidationMetric.InterTokenLatencySeconds => itl,
                _ => ttft + itl * Math.Max(0, output - 1),
            };
            var overlay = ParallelismOverlay.ModelParams(("global_batch_size", concurrency), ("seq_len", input + output), ("decode_len", output));
            return new ValidationPoint(
                string.Create(CultureInfo.InvariantCulture, $"{input}/{output} c={concurrency}"), hardware, sources.Model("Llama3.1-70B_inf.yaml"),
                engine is null ? ParallelismOverlay.Create(tp: tp) : YamlOverlay.Merge(engine, ParallelismOverlay.Create(tp: tp)), overlay, metric, measured)
            {
                OtherTools = new EquatableArray<ToolPrediction>(tools.For(OtherToolTables.Key(input, output, concurrency), metric, "LLMCompass", "Vidur", "GenZ")),
                SkipReason = metric == ValidationMetric.TimeToFirstTokenSeconds && concurrency > 1
                    ? served ? ConcurrentFirstTokenServed : ConcurrentFirstToken
                    : null,
                FlagReason = Artefact(device, input, output, concurrency, metric),
                Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
                {
                    ["shape"] = string.Create(CultureInfo.InvariantCulture, $"{input}/{output}"),
                    ["concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
                }),
            };
        });
        var gpus = device == "A100" ? "8×A100 bf16 (TP8)" : "4×H100 fp16 (TP4)";
        return new ValidationSuite(IdFor(device, metric), $"NVIDIA NIM: Llama-3.3-70B on {gpus} ({MetricTitle(metric)})",
            "docs.nvidia.com/nim/benchmarking/llm (captured 2025-12-30), " + file, metric, new EquatableArray<ValidationPoint>(points))
        {
            Notes = "Per row: global_batch_size = concurrency, seq_len = input + output, decode_len = output, tp as the GPU count "
                + "with tp_sp. TTFT is compared at concurrency 1 only (see the skipped rows). The measured request time is TTFT + ITL × (output − 1), as the reference computes it; our ITL is "
                + "(request − TTFT) / (output − 1). The reference's fitted hardware files are used; the A100 one asks for "
                + "AstraSim and by default runs here analytically with Ring topologies (on AstraSim with --astra)."
                + (served ? " " + KoyebSuite.EngineNote(engineFile!) : ""),
        };
    }

    // A serving engine admits concurrent requests one by one and interleaves their prefills with running decodes, so
    // its first-token time at concurrency > 1 is set by scheduling; a static batch prefilled at once is not that.
    private const string ConcurrentFirstToken =
        "not compared: TTFT under concurrency depends on the server's request scheduling, which a static batch does not model";

    // With continuous batching modelled, first tokens under concurrency are still not compared: how genai-perf's requests
    // bunch (several arriving together share or queue for a prefill) sets them, and a steady-state mean has no bunching.
    private const string ConcurrentFirstTokenServed =
        "not compared: TTFT under concurrency depends on how the client's requests bunch and queue for prefill, which the steady-state model does not follow";

    /// <summary>
    /// Rows whose measurement is out of line with the same device's other rows (docs/validation.md, "Flagged rows"): the
    /// 4×H100 2000/2000 shape. They are predicted and counted; reports also give the error without them.
    /// </summary>
    internal static string? Artefact(string device, int input, int output, int concurrency, ValidationMetric metric)
    {
        if (device != "H100" || input != 2000 || output != 2000) return null;
        return (concurrency, metric) switch
        {
            (1, ValidationMetric.TimeToFirstTokenSeconds) =>
                "1637 ms to first token for 2000 prompt tokens, where 1000 take 103 ms and 2500 take 190 ms on the same GPUs",
            (1, ValidationMetric.RequestSeconds) => "includes the 1637 ms first-token time of this row",
            (5, ValidationMetric.InterTokenLatencySeconds or ValidationMetric.RequestSeconds) =>
                "27.0 ms between tokens, 6.5 ms above this shape at concurrency 1 where the other shapes add 0.8-4 ms (what their interleaved prefills explain)",
            _ => null,
        };
    }

    private static string MetricSlug(ValidationMetric metric) => metric switch
    {
        ValidationMetric.TimeToFirstTokenSeconds => "ttft",
        ValidationMetric.InterTokenLatencySeconds => "itl",
        _ => "e2e",
    };

    private static string MetricTitle(ValidationMetric metric) => metric switch
    {
        ValidationMetric.TimeToFirstTokenSeconds => "time to first token",
        ValidationMetric.InterTokenLatencySeconds => "inter-token latency",
        _ => "end-to-end request seconds",
    };

    private static OtherToolTables ReadOtherTools(ValidationSources sources)
    {
        var t = new OtherToolTables();
        if (OtherToolTables.TryRead(sources.Data("nvidia_data/8xA100_bf16_Llama3_3-70B_llmcompass.csv"), out var llmCompass))
        {
            foreach (var r in llmCompass.Rows)
            {
                var key = OtherToolTables.Key(r.Integer("input_tokens"), r.Integer("output_tokens"), r.Integer("batch_size"));
                t.Add("LLMCompass", key, ValidationMetric.RequestSeconds, r.OptionalNumber("total_latency"));
                t.Add("LLMCompass", key, ValidationMetric.TimeToFirstTokenSeconds, r.OptionalNumber("ttft"));
                t.Add("LLMCompass", key, ValidationMetric.InterTokenLatencySeconds, r.OptionalNumber("itl"));
            }
        }

        if (OtherToolTables.TryRead(sources.Data("nvidia_data/8xA100_bf16_Llama3_3-70B_vidur.csv"), out var vidur))
        {
            foreach (var r in vidur.Rows)
            {
                var key = OtherToolTables.Key(r.Integer("input_tokens"), r.Integer("output_tokens"), r.Integer("concurrency"));
                t.Add("Vidur", key, ValidationMetric.RequestSeconds, r.OptionalNumber("e2e_s"));
                t.Add("Vidur", key, ValidationMetric.TimeToFirstTokenSeconds, r.OptionalNumber("ttft_ms") / 1000.0);
                t.Add("Vidur", key, ValidationMetric.InterTokenLatencySeconds, r.OptionalNumber("tpot_ms") / 1000.0);
            }
        }

        if (OtherToolTables.TryRead(sources.Data("nvidia_data/8xA100_bf16_Llama3_3-70B_genz.csv"), out var genz))
        {
            foreach (var r in genz.Rows)
            {
                var key = OtherToolTables.Key(r.Integer("input_tokens"), r.Integer("output_tokens"), r.Integer("batch_size"));
                t.Add("GenZ", key, ValidationMetric.RequestSeconds, r.OptionalNumber("e2e_s"));
                t.Add("GenZ", key, ValidationMetric.TimeToFirstTokenSeconds, r.OptionalNumber("ttft_s"));
                t.Add("GenZ", key, ValidationMetric.InterTokenLatencySeconds, r.OptionalNumber("tpot_s"));
            }
        }

        return t;
    }
}
