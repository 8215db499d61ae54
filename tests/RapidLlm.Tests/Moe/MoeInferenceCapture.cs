using System.Text.Json;
using RapidLlm.Configuration;
using RapidLlm.Operations;
using RapidLlm.Tests.Operations;

namespace RapidLlm.Tests.Moe;

/// <summary>
/// One MoE/MLA inference configuration captured from the reference (317a2cb) by
/// data/golden/moe/inference/capture_inference.py: its YAML files, the prefill and per-sample decode layer timings
/// (dense and MoE), the phase totals and energies, the memory peaks and the primitives those calls used.
/// </summary>
internal sealed class MoeInferenceCapture
{
    private MoeInferenceCapture(string name, JsonElement root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }
    public JsonElement Root { get; }

    public static string Directory => Path.Combine(MoeCapture.Directory, "inference");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetDirectories(Directory)
            .Where(d => File.Exists(Path.Combine(d, "capture.json")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static MoeInferenceCapture Load(string name) =>
        new(name, JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name, "capture.json"))).RootElement);

    public ValidatedRun Run() => ConfigValidator.Validate(
        HardwareConfig.LoadYaml(Path.Combine(Directory, Name, "hw.yaml")),
        ModelConfig.LoadYaml(Path.Combine(Directory, Name, "model.yaml")));

    public OperationCostModels RecordedModels()
    {
        var p = Root.GetProperty("primitives");
        var recorded = new RecordedPrimitives(p);
        return new OperationCostModels(recorded, recorded, recorded, p.GetProperty("num_levels").GetInt32(), p.GetProperty("num_bundles").GetInt64());
    }

    public double Number(string name) => Root.GetProperty(name).GetDouble();

    /// <summary>The decode-step layer timings the reference built at one KV length.</summary>
    public JsonElement? DecodeCall(long kvLength, bool moe) =>
        Root.GetProperty("decode_calls").EnumerateArray()
            .Where(c => c.GetProperty("total_seq_len").GetInt64() == kvLength && c.GetProperty("use_moe").GetBoolean() == moe)
            .Select(c => (JsonElement?)c).FirstOrDefault();

    /// <summary>The prefill layer timings.</summary>
    public JsonElement? PrefillCall(bool moe) =>
        Root.GetProperty("prefill_calls").EnumerateArray()
            .Where(c => c.GetProperty("use_moe").GetBoolean() == moe).Select(c => (JsonElement?)c).FirstOrDefault();
}
