using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>
/// NVIDIA's published Megatron-LM training runs on Selene A100 80GB GPUs (Korthikanti et al. 2022 Table 5; Narayanan et
/// al. 2021 Tables 1-2 and the Selene rows the reference validates on): GPT 1.7B to 1T, seconds per iteration. Each row
/// runs with the settings its paper used: the pipeline schedule (1F1B, or interleaved with the paper's model chunks per
/// stage), sequence parallelism and selective recompute or full recompute, one sequence per micro-batch (four for 22B,
/// sixteen for 1.7B), mixed precision with fp32 gradients, optimizer states and master weights, gradients reduced once per
/// step. The base hardware is our A100 preset, so the suite follows whatever performance model the preset selects; only
/// Selene's links are set on top of it.
/// </summary>
public static class MegatronTrainingSuite
{
    /// <summary>The suite's identifier.</summary>
    public const string Id = "megatron-a100-gpt";

    /// <summary>The data file, relative to <see cref="ValidationSources.DataDirectory"/>.</summary>
    public const string DataFile = "megatron/megatron_a100_train.csv";

    /// <summary>The preset the suite runs on, in <see cref="ValidationSources.PresetDirectory"/>.</summary>
    public const string PresetFile = "a100_80GB.yaml";

    private static readonly Dictionary<string, string> ModelFiles = new(StringComparer.Ordinal)
    {
        ["GPT 1.7B"] = "GPT_1_7_B.yaml",
        ["GPT 22B"] = "GPT_22_B.yaml",
        ["GPT 175B"] = "GPT_175_B.yaml",
        ["GPT 310B"] = "GPT_310_B.yaml",
        ["GPT 530B"] = "GPT_530_B.yaml",
        ["GPT 1T"] = "GPT_1T.yaml",
    };

    /// <summary>
    /// Selene's links on top of the preset: NVLink 3 through NVSwitch inside a DGX A100 (300 GB/s per direction per GPU,
    /// carrying tp) and one 200 Gb/s HDR InfiniBand adapter per GPU between nodes (carrying pp and dp). Decimal units.
    /// </summary>
    private const string SeleneNetwork = """
        network:
          dimensions:
            - id: dim0
              topology: {bandwidth: 300e9}
            - id: dim1
              topology: {bandwidth: 25e9}

        """;

    /// <summary>Builds the suite from <see cref="DataFile"/> on <c>sources.Preset(PresetFile)</c>.</summary>
    /// <param name="sources">Data, config and preset folders; <see cref="ValidationSources.PresetDirectory"/> is required.</param>
    /// <exception cref="ArgumentException">No preset folder is given.</exception>
    public static ValidationSuite Create(ValidationSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var hardware = sources.Preset(PresetFile);
        var points = CsvTable.Read(sources.Data(DataFile)).Rows.Select(row =>
        {
            var source = row.Text("source");
            var model = row.Text("model");
            var recompute = row.Text("recompute");
            var schedule = row.Text("schedule");
            int batch = row.Integer("batch"), microBatch = row.Integer("micro_batch"), dp = row.Integer("dp"), tp = row.Integer("tp"),
                pp = row.Integer("pp"), virtualStages = row.Integer("virtual_stages"), gpus = row.Integer("gpus");
            if (tp * pp * dp != gpus)
            {
                throw new InvalidDataException($"{DataFile}: {model} on {gpus} GPUs has tp {tp} × pp {pp} × dp {dp} = {tp * pp * dp}.");
            }

            var sequenceParallel = bool.Parse(row.Text("tp_sp"));
            var overlay = HardwareOverlay(tp, pp, dp, batch / dp / microBatch, sequenceParallel,
                string.Equals(recompute, "full", StringComparison.OrdinalIgnoreCase), schedule, virtualStages);
            var chunks = schedule == "interleaved_1f1b" ? string.Create(CultureInfo.InvariantCulture, $" v{virtualStages}") : "";
            return new ValidationPoint(
                string.Create(CultureInfo.InvariantCulture, $"{Short(source)} {model} {row.Text("case")} (dp{dp} tp{tp} pp{pp}{chunks})"),
                hardware, sources.Model(ModelFiles[model]), overlay, ParallelismOverlay.ModelParams(("global_batch_size", batch)),
                ValidationMetric.TrainingStepSeconds, row.Number("measured_s"))
            {
                Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
                {
                    ["source"] = source, ["model"] = model, ["recompute"] = recompute, ["schedule"] = schedule,
                }),
            };
        });
        return new ValidationSuite(Id, "NVIDIA Megatron-LM: GPT 1.7B-1T training on Selene A100 80GB (seconds per iteration)",
            $"{DataFile} (Korthikanti et al. 2022 Table 5; Narayanan et al. 2021 Tables 1-2 and the reference's Selene rows; sources in megatron/source.txt)",
            ValidationMetric.TrainingStepSeconds, new EquatableArray<ValidationPoint>(points))
        {
            Notes = $"Base hardware: the preset {PresetFile}, with Selene's links (NVLink 300 GB/s per direction for tp, one 200 Gb/s "
                + "InfiniBand adapter per GPU for pp and dp). Per row, as the paper ran it: tp, pp, dp, micro-batches = batch / dp / "
                + "micro-batch size, pipeline schedule 1f1b or interleaved_1f1b with the paper's virtual stages, sequence parallelism "
                + "with selective recompute (Korthikanti's seq+sel rows) or full recompute, bf16 with fp32 gradients, optimizer states "
                + "and master weights, gradients reduced once per step without ZeRO (none of these runs used the distributed optimizer). "
                + "The reference's own \"korthi\" rows are replaced by the paper's Table 5.",
        };
    }

    /// <summary>Short label of a source (<c>korthikanti2022_tab5</c> becomes <c>Korthikanti T5</c>).</summary>
    private static string Short(string source) => source switch
    {
        "korthikanti2022_tab5" => "Korthikanti T5",
        "narayanan2021_selene" => "Selene",
        "narayanan2021_tab1" => "Narayanan T1",
        "narayanan2021_tab2" => "Narayanan T2",
        _ => source,
    };

    private static string HardwareOverlay(int tp, int pp, int dp, int microBatches, bool sequenceParallel, bool fullRecompute, string schedule, int virtualStages)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            parallelism:
              tp: {{tp}}
              tp_sp: {{(sequenceParallel ? "true" : "false")}}
              cp: 1
              pp: {{pp}}
              mb: {{microBatches}}
              pipeline_schedule: {{schedule}}

            """);
        if (schedule == "interleaved_1f1b") text.Append(CultureInfo.InvariantCulture, $"  virtual_stages: {virtualStages}\n");
        text.Append(CultureInfo.InvariantCulture, $$"""
              train: {dp: {{dp}}, ep: 1, tp_ep: true}
              inference: {replica_count: 1, moe_dp: 1}
            sw_param:
              full_recomputation: {{(fullRecompute ? "true" : "false")}}
              dp_zero_stage: 0
              dp_microbatch: last_mb
              precision:
                tensor_format: bf16
                parameters: as_tensor_format
                gradients: fp32
                grad_communication: fp32
                optimizer_states: fp32
                stats: fp32
                master_parameters: fp32

            """);
        text.Append(SeleneNetwork);
        return text.ToString();
    }
}
