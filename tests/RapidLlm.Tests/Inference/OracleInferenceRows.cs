using System.Text.Json;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Inference;

/// <summary>A head-version oracle inference row with at most two decode samples (see extract_oracle_rows.py).</summary>
public sealed record OracleInferenceRow(string Case, JsonElement Row)
{
    public override string ToString() => Case;

    public double Number(string key) => Row.GetProperty(key).GetDouble();

    public int Integer(string key) => Row.GetProperty(key).GetInt32();

    public IReadOnlyList<string> PrintedResults =>
        Row.GetProperty("printed_results").EnumerateArray().Select(e => e.GetString()!).ToList();

    internal InferenceSettings Settings => new()
    {
        SequenceLength = Integer("seq_len"),
        DecodeLength = Integer("decode_len"),
        LayerCount = Integer("num_layers"),
        BatchSize = Integer("batch_size"),
        ReplicaCount = Integer("replica_count"),
        KvCacheBytesPerTokenPerLayer = Number("kv_token_bytes"),
        EnergyCoefficients = new EnergyCoefficients(0, 0, 0),
        EnergyAccounting = EnergyAccounting.ReferenceSingleLayer,
    };

    /// <summary>
    /// Rebuilds the estimate from the first and last step times. Each sample carries the mean step energy, so the
    /// integrated decode energy equals the oracle's total (the split between steps is not recorded).
    /// </summary>
    public InferenceEstimate Replay()
    {
        var settings = Settings;
        var samples = new List<DecodeSample>();
        if (settings.DecodeLength > 0)
        {
            var meanStepJoules = Number("energy_decode_j") / settings.DecodeLength;
            var steps = DecodeSampling.SampleSteps(settings.DecodeLength, settings.SampleEvery);
            samples.Add(new DecodeSample(steps[0], DecodeSampling.KvLengthAt(settings.PrefillLength, steps[0]), Number("first_step_s"), meanStepJoules));
            samples.Add(new DecodeSample(steps[^1], DecodeSampling.KvLengthAt(settings.PrefillLength, steps[^1]), Number("last_step_s"), meanStepJoules));
        }

        return InferenceEstimator.Assemble(settings, Number("prefill_s"), Number("energy_prefill_j"), samples);
    }

    public static IReadOnlyList<OracleInferenceRow> Load()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "golden", "decode_steps", "oracle_inference_rows.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => new OracleInferenceRow(r.GetProperty("case").GetString()!, r.Clone())).ToList();
    }

    public static OracleInferenceRow Get(string caseId) => Load().Single(r => r.Case == caseId);
}
