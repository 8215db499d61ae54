using System.Collections.Immutable;
using System.Globalization;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>UCI's 4-GPU A100 Llama-2-7B training grid (DDP and FSDP over TP/PP/CP/DP splits), seconds per step.</summary>
public static class UciTrainingSuite
{
    /// <summary>The suite's identifier.</summary>
    public const string Id = "uci-a100-llama2-7b-train";

    /// <summary>Builds the suite from <c>imec_data/uci_train.csv</c>; rows without a successful measurement are skipped.</summary>
    /// <param name="sources">Data and config folders.</param>
    /// <param name="hardwareFile">Base hardware YAML; the reference's validation <c>a100_80GB.yaml</c> when null.</param>
    public static ValidationSuite Create(ValidationSources sources, string? hardwareFile = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var points = CsvTable.Read(sources.Data("imec_data/uci_train.csv")).Rows
            .Where(row => string.Equals(row.Text("Status"), "SUCCESS", StringComparison.OrdinalIgnoreCase))
            .Select(row =>
            {
                var variant = row.Text("variant");
                int tp = row.Integer("TP"), pp = row.Integer("PP"), cp = row.Integer("CP"), dp = row.Integer("DP");
                // DDP keeps full replicas (ZeRO-0); FSDP shards everything (ZeRO-3). Micro-batches follow the stage count.
                var overlay = ParallelismOverlay.Create(tp, pp, cp, dp, microBatches: pp, tensorSequenceParallel: false,
                    zeroStage: string.Equals(variant, "DDP", StringComparison.OrdinalIgnoreCase) ? 0 : 3);
                return new ValidationPoint(
                    string.Create(CultureInfo.InvariantCulture, $"{variant} TP{tp} PP{pp} CP{cp} DP{dp}"),
                    hardwareFile ?? sources.Hardware("a100_80GB.yaml"), sources.Model("Llama2-7B.yaml"), overlay,
                    ParallelismOverlay.ModelParams(("seq_len", 4096), ("run_type", "training")),
                    ValidationMetric.TrainingStepSeconds, row.Number("Avg_Step_Time_s"))
                {
                    Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["variant"] = variant }),
                };
            });
        return new ValidationSuite(Id, "UCI: Llama-2-7B training on 4×A100 (step seconds)",
            "imec_data/uci_train.csv (DDP and FSDP grid, average step time)", ValidationMetric.TrainingStepSeconds,
            new EquatableArray<ValidationPoint>(points))
        {
            Notes = "Per row: seq_len 4096, tp/pp/cp/dp from the row, mb = pp, tp_sp off, ZeRO-0 for DDP and ZeRO-3 for FSDP, "
                + "as the reference's uci_train.py. The a100_80GB.yaml file asks for AstraSim; by default it runs here analytically with "
                + "Ring topologies (on AstraSim with --astra). The FSDP+PP row has no measurement (FSDP does not support PP) and is left out.",
        };
    }
}
