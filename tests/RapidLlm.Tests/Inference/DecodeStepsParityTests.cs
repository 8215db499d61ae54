using RapidLlm.Reports;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Inference;

/// <summary>
/// Replays the reference's sampled decode steps (golden/decode_steps) through our sampler, integrator and result
/// derivation, and compares every figure and the printed computation lines.
/// </summary>
[TestFixture]
public sealed class DecodeStepsParityTests
{
    private const double Relative = 1e-9;

    private static IEnumerable<string> Cases => DecodeStepsGolden.CaseNames;

    private static InferenceEstimate Replay(DecodeStepsCase golden)
    {
        var samples = golden.Steps.Select(s => new DecodeSample(s.Step, s.KvLength, s.TimeSeconds, s.EnergyJoules)).ToList();
        return InferenceEstimator.Assemble(golden.Settings, golden.PrefillSeconds, golden.PrefillJoules, samples);
    }

    [TestCaseSource(nameof(Cases))]
    public void Sample_steps_and_kv_lengths_match_the_reference(string name)
    {
        var golden = DecodeStepsGolden.Load(name);
        var s = golden.Settings;
        var steps = DecodeSampling.SampleSteps(s.DecodeLength, s.SampleEvery);
        Assert.That(steps, Is.EqualTo(golden.Steps.Select(g => g.Step)));
        Assert.That(steps.Select(step => DecodeSampling.KvLengthAt(s.PrefillLength, step)), Is.EqualTo(golden.Steps.Select(g => g.KvLength)));
    }

    [TestCaseSource(nameof(Cases))]
    public void Integrated_times_rates_and_counters_match_the_reference(string name)
    {
        var golden = DecodeStepsGolden.Load(name);
        var e = Replay(golden);
        Assert.Multiple(() =>
        {
            Assert.That(e.PrefillSeconds, Is.EqualTo(golden.Expect("prefill_time")).Within(Relative).Percent);
            Assert.That(e.DecodeSeconds, Is.EqualTo(golden.Expect("decode_time")).Within(Relative).Percent);
            Assert.That(e.TotalSeconds, Is.EqualTo(golden.Expect("total_inference_time")).Within(Relative).Percent);
            Assert.That(e.TimeToFirstTokenSeconds, Is.EqualTo(golden.Expect("time_to_first_token")).Within(Relative).Percent);
            Assert.That(e.Energy.DecodeJoules, Is.EqualTo(golden.Expect("decode_energy_J")).Within(Relative).Percent);
            Assert.That(e.Energy.PrefillJoules, Is.EqualTo(golden.Expect("prefill_energy_J")).Within(Relative).Percent);
            Assert.That(e.KvCache.PrefillStoreBytes, Is.EqualTo(golden.Expect("kv_cache_prefill_store_bytes")).Within(Relative).Percent);
            Assert.That(e.KvCache.DecodeStoreBytes, Is.EqualTo(golden.Expect("kv_cache_decode_store_bytes")).Within(Relative).Percent);
            Assert.That(e.KvCache.DecodeFetchBytes, Is.EqualTo(golden.Expect("kv_cache_decode_fetch_bytes")).Within(Relative).Percent);
            Assert.That(e.Rates, Is.Not.Null);
            Assert.That(e.Rates!.StartTokensPerSecond, Is.EqualTo(golden.ExpectRate("start")).Within(Relative).Percent);
            Assert.That(e.Rates.MidpointTokensPerSecond, Is.EqualTo(golden.ExpectRate("midpoint")).Within(Relative).Percent);
            Assert.That(e.Rates.EndTokensPerSecond, Is.EqualTo(golden.ExpectRate("end")).Within(Relative).Percent);
            Assert.That(e.Rates.OverallTokensPerSecond, Is.EqualTo(golden.ExpectRate("overall")).Within(Relative).Percent);
            Assert.That(e.Rates.MidpointStep, Is.EqualTo((int)golden.ExpectRate("midpoint_step")));
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Aggregate_throughput_is_rate_times_batch_times_replicas(string name)
    {
        var golden = DecodeStepsGolden.Load(name);
        var e = Replay(golden);
        var multiplier = golden.Settings.BatchSize * golden.Settings.ReplicaCount;
        Assert.That(e.Throughput, Is.Not.Null);
        Assert.That(e.Throughput!.StartTokensPerSecond, Is.EqualTo(golden.ExpectRate("start") * multiplier).Within(Relative).Percent);
        Assert.That(e.Throughput.MidpointTokensPerSecond, Is.EqualTo(golden.ExpectRate("midpoint") * multiplier).Within(Relative).Percent);
        Assert.That(e.Throughput.EndTokensPerSecond, Is.EqualTo(golden.ExpectRate("end") * multiplier).Within(Relative).Percent);
    }

    [TestCaseSource(nameof(Cases))]
    public void Computation_lines_match_the_reference_stdout(string name)
    {
        var golden = DecodeStepsGolden.Load(name);
        var lines = InferenceReportText.ComputationLines(Replay(golden));
        Assert.That(string.Join("\n", lines) + "\n", Is.EqualTo(golden.Stdout));
    }

    [TestCaseSource(nameof(Cases))]
    public void Each_step_energy_is_reproduced_from_its_calc_energy_inputs(string name)
    {
        var golden = DecodeStepsGolden.Load(name);
        var s = golden.Settings;
        foreach (var step in golden.Steps)
        {
            var joules = PhaseEnergy.Joules(step.EnergyInputs, s.LayerCount, s.PipelineStages, s.EnergyCoefficients, EnergyAccounting.ReferenceSingleLayer);
            Assert.That(joules, Is.EqualTo(step.EnergyJoules).Within(Relative).Percent, $"step {step.Step}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Estimate_with_a_replayed_step_model_matches_the_reference(string name)
    {
        var golden = DecodeStepsGolden.Load(name);
        // Without recorded prefill energy inputs the prefill joules cannot be re-derived; charge no prefill energy then.
        var prefillInputs = golden.PrefillEnergyInputs ?? PhaseEnergyInputs.None;
        var prefill = new FixedPrefillModel(new PhaseCost(golden.PrefillSeconds, prefillInputs));
        var e = InferenceEstimator.Estimate(golden.Settings, prefill, new RecordedDecodeStepModel(golden.Steps));
        Assert.Multiple(() =>
        {
            Assert.That(prefill.Calls, Is.EqualTo(1));
            Assert.That(e.DecodeSeconds, Is.EqualTo(golden.Expect("decode_time")).Within(Relative).Percent);
            Assert.That(e.Energy.DecodeJoules, Is.EqualTo(golden.Expect("decode_energy_J")).Within(Relative).Percent);
            Assert.That(e.TimeToFirstTokenSeconds, Is.EqualTo(golden.Expect("time_to_first_token")).Within(Relative).Percent);
            if (golden.PrefillEnergyInputs is not null)
            {
                Assert.That(e.Energy.PrefillJoules, Is.EqualTo(golden.Expect("prefill_energy_J")).Within(Relative).Percent);
                Assert.That(string.Join("\n", InferenceReportText.ComputationLines(e)) + "\n", Is.EqualTo(golden.Stdout));
            }
        });
    }
}
