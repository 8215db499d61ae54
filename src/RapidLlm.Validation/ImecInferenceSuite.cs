using System.Collections.Immutable;
using System.Globalization;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>
/// The imec inference grid: Llama-2 7B/13B/70B at batch 1, 200 prompt + 200 generated tokens, across TP degrees, on
/// A100 or H100; end-to-end request seconds.
/// </summary>
public static class ImecInferenceSuite
{
    /// <summary>The two devices the data covers.</summary>
    public static IReadOnlyList<string> Devices { get; } = ["A100", "H100"];

    private static readonly Dictionary<string, string> ModelFiles = new(StringComparer.Ordinal)
    {
        ["Llama 2-7B"] = "Llama2-7B_inf.yaml",
        ["Llama 2-13B"] = "Llama2-13B_inf.yaml",
        ["Llama 2-70B"] = "Llama2-70B_inf.yaml",
    };

    /// <summary>The identifier of the suite for <paramref name="device"/>.</summary>
    /// <param name="device"><c>A100</c> or <c>H100</c>.</param>
    public static string IdFor(string device) => $"imec-{device.ToLowerInvariant()}-llama2";

    /// <summary>Builds the suite for one device from <c>imec_data/&lt;device&gt;_inf.csv</c>.</summary>
    /// <param name="sources">Data and config folders.</param>
    /// <param name="device"><c>A100</c> or <c>H100</c>.</param>
    /// <param name="hardwareFile">Base hardware YAML; the reference's unfitted file for the device when null.</param>
    public static ValidationSuite Create(ValidationSources sources, string device, string? hardwareFile = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var hardware = hardwareFile ?? sources.Hardware(device switch
        {
            "A100" => "a100_80GB_inf.yaml",
            "H100" => "H100_SXM5_80GB.yaml",
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, "the imec data covers A100 and H100"),
        });
        var tools = device == "A100" ? ReadOtherTools(sources) : new OtherToolTables();
        var modelOverlay = ParallelismOverlay.ModelParams(("global_batch_size", 1), ("seq_len", 400), ("decode_len", 200));
        var points = CsvTable.Read(sources.Data($"imec_data/{device}_inf.csv")).Rows.Select(row =>
        {
            var model = row.Text("model");
            var tp = row.Integer("TP");
            var key = OtherToolTables.Key(model, tp);
            return new ValidationPoint(
                string.Create(CultureInfo.InvariantCulture, $"{model} TP{tp}"), hardware, sources.Model(ModelFiles[model]),
                ParallelismOverlay.Create(tp: tp), modelOverlay, ValidationMetric.RequestSeconds, row.Number("actual"))
            {
                OtherTools = new EquatableArray<ToolPrediction>(tools.For(key, ValidationMetric.RequestSeconds, "LLMCompass", "Vidur", "GenZ")),
                Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
                {
                    ["model"] = model, ["tp"] = tp.ToString(CultureInfo.InvariantCulture),
                }),
            };
        });
        return new ValidationSuite(IdFor(device), $"imec: Llama-2 7B/13B/70B inference on {device}, TP 1-8 (request seconds)",
            $"imec_data/{device}_inf.csv (batch 1, 200 prompt + 200 generated tokens)", ValidationMetric.RequestSeconds,
            new EquatableArray<ValidationPoint>(points))
        {
            Notes = "Per row: global_batch_size 1, seq_len 400, decode_len 200, tp = TP with tp_sp, every other degree 1, "
                + "as the reference's IMEC test (unfitted hardware file). The reference runs the A100 file on AstraSim; by default it "
                + "runs here analytically with Ring topologies (on AstraSim with --astra / ForceAnalytical off).",
        };
    }

    private static OtherToolTables ReadOtherTools(ValidationSources sources)
    {
        var tables = new OtherToolTables();
        const ValidationMetric metric = ValidationMetric.RequestSeconds;
        if (OtherToolTables.TryRead(sources.Data("imec_data/A100_inf_llmcompass.csv"), out var llmCompass))
            foreach (var r in llmCompass.Rows) tables.Add("LLMCompass", OtherToolTables.Key(r.Text("model"), r.Integer("tp")), metric, r.OptionalNumber("total_latency"));
        if (OtherToolTables.TryRead(sources.Data("imec_data/A100_inf_vidur.csv"), out var vidur))
        {
            foreach (var r in vidur.Rows)
            {
                if (VidurModel(r.Text("model_name")) is not { } model || !r.Text("network_device").StartsWith("a100", StringComparison.OrdinalIgnoreCase)) continue;
                tables.Add("Vidur", OtherToolTables.Key(model, r.Integer("tp")), metric, r.OptionalNumber("e2e_s"));
            }
        }

        if (OtherToolTables.TryRead(sources.Data("imec_data/A100_inf_genz.csv"), out var genz))
        {
            foreach (var r in genz.Rows.Where(r => r.Text("device").StartsWith("A100", StringComparison.Ordinal)))
                tables.Add("GenZ", OtherToolTables.Key(r.Text("model"), r.Integer("tp")), metric, r.OptionalNumber("e2e_s"));
        }

        return tables;
    }

    // Vidur names models by their Hugging Face id; map back to the data file's names.
    private static string? VidurModel(string name) => name.ToLowerInvariant() switch
    {
        "meta-llama/llama-2-7b-hf" => "Llama 2-7B",
        "meta-llama/llama-2-13b-hf" => "Llama 2-13B",
        "meta-llama/llama-2-70b-hf" => "Llama 2-70B",
        _ => null,
    };
}
