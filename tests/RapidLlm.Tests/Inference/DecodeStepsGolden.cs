using System.Text.Json;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Inference;

/// <summary>One reference decode run (copied from golden/decode_steps by data/oracle/inference/extract_decode_steps.py).</summary>
internal sealed record DecodeStepsCase(
    string Name,
    InferenceSettings Settings,
    double PrefillSeconds,
    double PrefillJoules,
    PhaseEnergyInputs? PrefillEnergyInputs,
    IReadOnlyList<GoldenStep> Steps,
    JsonElement Expected,
    string Stdout)
{
    public override string ToString() => Name;

    public double Expect(string key) => Expected.GetProperty(key).GetDouble();

    public double ExpectRate(string key) => Expected.GetProperty("decode_tokens_per_s").GetProperty(key).GetDouble();
}

/// <summary>A sampled step: the reference's time and energy, and the calc_energy inputs that produced the energy.</summary>
internal sealed record GoldenStep(int Step, long KvLength, double TimeSeconds, double EnergyJoules, PhaseEnergyInputs EnergyInputs);

/// <summary>A reference prefill energy call (golden/op_timings I* cases).</summary>
internal sealed record PrefillEnergyCase(
    string Name, int LayerCount, int PipelineStages, double EnergyJoules, PhaseEnergyInputs Inputs, EnergyCoefficients Coefficients)
{
    public override string ToString() => Name;
}

internal static class DecodeStepsGolden
{
    private static string Directory => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "golden", "decode_steps");

    public static readonly string[] CaseNames =
    [
        "D01_single_default_sampling", "D02_single_every32", "D03_tp2_every64", "D04_tp2_sp_gqa_every100",
        "D05_pp2_every64", "D06_gpt_noflash_every50", "D07_replica2_batch16", "D08_fp8_gqa_every32", "D09_cp2_every64",
    ];

    public static DecodeStepsCase Load(string name, EnergyAccounting accounting = EnergyAccounting.ReferenceSingleLayer)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name + ".json")));
        var root = doc.RootElement;
        var s = root.GetProperty("settings");
        var settings = new InferenceSettings
        {
            SequenceLength = s.GetProperty("seq_len").GetInt32(),
            DecodeLength = s.GetProperty("decode_len").GetInt32(),
            SampleEvery = s.GetProperty("sample_every").GetInt32(),
            LayerCount = s.GetProperty("num_layers").GetInt32(),
            PipelineStages = s.GetProperty("pp").GetInt32(),
            BatchSize = s.GetProperty("batch_size").GetInt32(),
            TransformerBatch = s.GetProperty("transformer_batch").GetInt32(),
            ReplicaCount = s.GetProperty("replica_count").GetInt32(),
            KvCacheBytesPerTokenPerLayer = s.GetProperty("kv_token_bytes").GetDouble(),
            EnergyCoefficients = Coefficients(s),
            EnergyAccounting = accounting,
        };
        var prefill = root.GetProperty("prefill");
        var prefillInputs = prefill.GetProperty("energy_inputs");
        var steps = root.GetProperty("steps").EnumerateArray().Select(step => new GoldenStep(
            step.GetProperty("step_id").GetInt32(),
            step.GetProperty("kv_len").GetInt64(),
            step.GetProperty("time_s").GetDouble(),
            step.GetProperty("energy_J").GetDouble(),
            Inputs(step.GetProperty("energy_inputs")))).ToList();
        return new DecodeStepsCase(
            name,
            settings,
            prefill.GetProperty("time_s").GetDouble(),
            prefill.GetProperty("energy_J").GetDouble(),
            prefillInputs.ValueKind == JsonValueKind.Null ? null : Inputs(prefillInputs),
            steps,
            root.GetProperty("expected").Clone(),
            root.GetProperty("stdout").GetString()!);
    }

    public static IEnumerable<PrefillEnergyCase> PrefillEnergyCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "prefill_energy_cases.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new PrefillEnergyCase(
            c.GetProperty("case").GetString()!,
            c.GetProperty("num_layers").GetInt32(),
            c.GetProperty("pp").GetInt32(),
            c.GetProperty("energy_J").GetDouble(),
            Inputs(c.GetProperty("energy_inputs")),
            Coefficients(c))).ToList();
    }

    private static EnergyCoefficients Coefficients(JsonElement e) => new(
        e.GetProperty("joules_per_flop").GetDouble(),
        e.GetProperty("dram_joules_per_bit").GetDouble(),
        e.GetProperty("network_joules_per_bit").GetDouble());

    private static PhaseEnergyInputs Inputs(JsonElement e) => new(
        e.GetProperty("layer_flops").GetDouble(),
        e.GetProperty("layer_dram_bytes").GetDouble(),
        e.GetProperty("layer_comm_bytes").GetDouble(),
        e.GetProperty("vocabulary_flops").GetDouble(),
        e.GetProperty("vocabulary_dram_bytes").GetDouble(),
        e.GetProperty("vocabulary_comm_bytes").GetDouble(),
        e.GetProperty("cross_stage_bytes").GetDouble());
}

/// <summary>Replays recorded step costs as a step model (looked up by KV length).</summary>
internal sealed class RecordedDecodeStepModel(IEnumerable<GoldenStep> steps) : IDecodeStepModel
{
    private readonly Dictionary<long, GoldenStep> _byKvLength = steps.ToDictionary(s => s.KvLength);

    public PhaseCost EstimateStep(long kvLengthTokens) =>
        _byKvLength.TryGetValue(kvLengthTokens, out var step)
            ? new PhaseCost(step.TimeSeconds, step.EnergyInputs)
            : throw new AssertionException($"The reference did not sample KV length {kvLengthTokens}.");
}

/// <summary>A fixed prefill cost.</summary>
internal sealed class FixedPrefillModel(PhaseCost cost) : IPrefillModel
{
    public int Calls { get; private set; }

    public PhaseCost EstimatePrefill(long promptTokens)
    {
        Calls++;
        return cost;
    }
}
