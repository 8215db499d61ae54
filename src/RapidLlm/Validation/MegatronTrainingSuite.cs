using System.Collections.Immutable;
using System.Globalization;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>
/// NVIDIA's large-scale Megatron training cases on A100 80GB (Korthikanti et al. 2022 and Narayanan et al. 2021 on
/// Selene): GPT 22B to 1T, seconds per training step.
/// </summary>
public static class MegatronTrainingSuite
{
    /// <summary>The suite's identifier.</summary>
    public const string Id = "megatron-a100-gpt";

    private static readonly Dictionary<string, string> ModelFiles = new(StringComparer.Ordinal)
    {
        ["GPT 22B"] = "GPT_22_B.yaml",
        ["GPT 175B"] = "GPT_175_B.yaml",
        ["GPT 310B"] = "GPT_310_B.yaml",
        ["GPT 530B"] = "GPT_530_B.yaml",
        ["GPT 1T"] = "GPT_1T.yaml",
    };

    /// <summary>Builds the suite from <c>imec_data/A100_train.csv</c>.</summary>
    /// <param name="sources">Data and config folders.</param>
    /// <param name="hardwareFile">
    /// Base hardware YAML for every row; when null, the reference's <c>a100_80GB_korthikanti.yaml</c> or
    /// <c>a100_80GB_selene_sc.yaml</c> by the row's case.
    /// </param>
    public static ValidationSuite Create(ValidationSources sources, string? hardwareFile = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var points = CsvTable.Read(sources.Data("imec_data/A100_train.csv")).Rows.Select(row =>
        {
            var device = row.Text("device");
            var model = row.Text("model");
            var recompute = row.Text("recomputation");
            var sequenceParallel = bool.Parse(row.Text("tp_sp"));
            int batch = row.Integer("batch"), mb = row.Integer("mb"), dp = row.Integer("dp"), tp = row.Integer("tp"), pp = row.Integer("pp"), cp = row.Integer("cp");
            var hardware = hardwareFile ?? sources.Hardware(device == "A100_selene" ? "a100_80GB_selene_sc.yaml" : "a100_80GB_korthikanti.yaml");
            var overlay = ParallelismOverlay.Create(tp, pp, cp, dp, Math.Max(1, mb), sequenceParallel,
                fullRecomputation: string.Equals(recompute, "full", StringComparison.OrdinalIgnoreCase));
            var caseName = device.Replace("A100_", "", StringComparison.Ordinal);
            return new ValidationPoint(
                string.Create(CultureInfo.InvariantCulture, $"{caseName} {model} {recompute} (dp{dp} tp{tp} pp{pp})"), hardware,
                sources.Model(ModelFiles[model]), overlay, ParallelismOverlay.ModelParams(("global_batch_size", batch)),
                ValidationMetric.TrainingStepSeconds, row.Number("actual"))
            {
                Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
                {
                    ["case"] = caseName, ["model"] = model, ["recomputation"] = recompute,
                }),
            };
        });
        return new ValidationSuite(Id, "NVIDIA Megatron: GPT 22B-1T training on A100 80GB (step seconds)",
            "imec_data/A100_train.csv (Korthikanti et al. 2022 Tab. 5 as encoded by the reference; Narayanan et al. 2021 Selene runs)",
            ValidationMetric.TrainingStepSeconds, new EquatableArray<ValidationPoint>(points))
        {
            Notes = "Per row: global_batch_size = batch, mb, dp, tp, pp, cp and tp_sp from the row, full_recomputation when the "
                + "row says full (selective rows keep the model file's setting), as the reference's nvidia_train.py. The "
                + "korthikanti and selene_sc hardware files ask for AstraSim with FullyConnected dimensions; by default they run here "
                + "analytically with Ring topologies (on AstraSim with --astra). The reference's a100_80GB_train_validation*.yaml files are not used: "
                + "the reference itself rejects one of them (SuperPOD leaf_size).",
        };
    }
}
