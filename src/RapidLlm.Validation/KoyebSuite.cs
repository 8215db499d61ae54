using System.Collections.Immutable;
using System.Globalization;
using RapidLlm.Configuration;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>Koyeb's single-A100 Llama-3.1-8B benchmark: aggregate decode throughput at batch 1, 8 and 32.</summary>
public static class KoyebSuite
{
    /// <summary>The suite's identifier.</summary>
    public const string Id = "koyeb-a100-llama31-8b";

    /// <summary>Builds the suite from <c>koyeb_a100_llama31_8b.csv</c>.</summary>
    /// <param name="sources">Data and config folders.</param>
    /// <param name="hardwareFile">
    /// Base hardware YAML; the reference's <c>a100_80GB_no_parallelism.yaml</c> when null. Another file is set to one GPU
    /// (every parallelism degree 1).
    /// </param>
    /// <param name="engineFile">
    /// A serving-engine overlay merged into <paramref name="hardwareFile"/> (a calibrated preset): Koyeb measured vLLM,
    /// <c>engines/vllm_koyeb.yaml</c> (<see cref="ValidationSources.Engine"/>). Null prices the bare kernels.
    /// </param>
    public static ValidationSuite Create(ValidationSources sources, string? hardwareFile = null, string? engineFile = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var hardware = hardwareFile ?? sources.Hardware("a100_80GB_no_parallelism.yaml");
        var hardwareOverlay = hardwareFile is null ? "" : ParallelismOverlay.Create(tp: 1, tensorSequenceParallel: false);
        if (hardwareFile is not null && engineFile is not null) hardwareOverlay = YamlOverlay.Merge(File.ReadAllText(engineFile), hardwareOverlay);
        var model = sources.Model("Llama3.1-8B_inf.yaml");
        var points = CsvTable.Read(sources.Data("koyeb_a100_llama31_8b.csv")).Rows.Select(row =>
        {
            int prefill = row.Integer("prefill_tokens"), decode = row.Integer("decode_tokens"), batch = row.Integer("batch");
            var overlay = ParallelismOverlay.ModelParams(("seq_len", prefill + decode), ("decode_len", decode), ("global_batch_size", batch));
            return new ValidationPoint(
                Invariant($"{Shape(prefill)} bs={batch} ({prefill}+{decode})"), hardware, model, hardwareOverlay, overlay,
                ValidationMetric.DecodeTokensPerSecond, row.Number("measured_tokens_per_s"))
            {
                Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
                {
                    ["shape"] = Shape(prefill), ["batch"] = Invariant($"{batch}"), ["gpu"] = row.Text("gpu"),
                }),
            };
        });
        return new ValidationSuite(Id, "Koyeb: Llama-3.1-8B on one A100 SXM4 80GB (decode tok/s)",
            "koyeb.com GPU benchmarks, as normalised by the reference (koyeb_a100_llama31_8b.csv)",
            ValidationMetric.DecodeTokensPerSecond, new EquatableArray<ValidationPoint>(points))
        {
            Notes = "Per row: seq_len = prefill + decode, decode_len, global_batch_size; predicted tok/s = decode tokens × batch / "
                + "decode time. The large bs=32 row is Koyeb's PCIe measurement, as in the reference (its SXM row is noisy)."
                + (hardwareFile is not null && engineFile is not null ? " " + EngineNote(engineFile) : ""),
        };
    }

    internal static string EngineNote(string engineFile) =>
        $"Serving engine ({Path.GetFileName(engineFile)}): " + string.Join("; ", File.ReadAllLines(engineFile)
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && l != "serving:")
            .Select(l => l.Split('#')[0].Trim())) + ".";

    // Koyeb's token-shape groups: 512x512, 1024x1024 and 4096x1024 prompts end up near 1.5k, 3k and 11.5k tokens.
    private static string Shape(int prefill) => prefill < 2000 ? "small" : prefill < 6000 ? "medium" : "large";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
