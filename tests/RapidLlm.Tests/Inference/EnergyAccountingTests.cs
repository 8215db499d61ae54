using RapidLlm.Inference;

namespace RapidLlm.Tests.Inference;

/// <summary>The energy model: reference parity with single-layer accounting, and what counting every layer adds.</summary>
[TestFixture]
public sealed class EnergyAccountingTests
{
    private static IEnumerable<object> PrefillCases => DecodeStepsGolden.PrefillEnergyCases();

    [TestCaseSource(nameof(PrefillCases))]
    public void Prefill_energy_matches_the_reference_with_single_layer_accounting(object testCase)
    {
        var c = (PrefillEnergyCase)testCase;
        var joules = PhaseEnergy.Joules(c.Inputs, c.LayerCount, c.PipelineStages, c.Coefficients, EnergyAccounting.ReferenceSingleLayer);
        Assert.That(joules, Is.EqualTo(c.EnergyJoules).Within(1e-9).Percent);
    }

    [TestCaseSource(nameof(PrefillCases))]
    public void All_layers_adds_the_missing_layers_compute_and_hbm_and_counts_vocabulary_comm_once(object testCase)
    {
        var c = (PrefillEnergyCase)testCase;
        var reference = PhaseEnergy.Joules(c.Inputs, c.LayerCount, c.PipelineStages, c.Coefficients, EnergyAccounting.ReferenceSingleLayer);
        var all = PhaseEnergy.Joules(c.Inputs, c.LayerCount, c.PipelineStages, c.Coefficients, EnergyAccounting.AllLayers);
        var k = c.Coefficients;
        var missingLayers = c.LayerCount - 1;
        var expected = missingLayers * (c.Inputs.LayerFlops * k.JoulesPerFlop + c.Inputs.LayerDramBytes * k.DramJoulesPerBit * 8)
                       - missingLayers * c.Inputs.VocabularyCommBytes * k.NetworkJoulesPerBit * 8;
        Assert.That(c.LayerCount, Is.GreaterThan(1));
        Assert.That(all, Is.GreaterThan(reference));
        Assert.That(all - reference, Is.EqualTo(expected).Within(1e-9).Percent);
    }

    [Test]
    public void Single_layer_model_gives_the_same_energy_either_way()
    {
        var inputs = new PhaseEnergyInputs(1e12, 2e9, 3e6, 4e10, 5e8, 6e5, 7e4);
        var k = new EnergyCoefficients(1.8e-13, 4.5e-12, 8e-12);
        Assert.That(
            PhaseEnergy.Joules(inputs, 1, 2, k, EnergyAccounting.AllLayers),
            Is.EqualTo(PhaseEnergy.Joules(inputs, 1, 2, k, EnergyAccounting.ReferenceSingleLayer)));
    }

    [Test]
    public void Energy_terms_add_flops_hbm_bytes_and_network_bytes_at_their_own_rates()
    {
        var k = new EnergyCoefficients(JoulesPerFlop: 2e-12, DramJoulesPerBit: 1e-12, NetworkJoulesPerBit: 3e-12);
        // 32 layers × 1e9 FLOPs + 5e8 vocabulary FLOPs; 32 × 1e6 + 1e5 HBM bytes; 32 × 10 + 1 comm bytes; 3 stage hops × 100 bytes.
        var inputs = new PhaseEnergyInputs(1e9, 1e6, 10, 5e8, 1e5, 1, 100);
        var expected = (32 * 1e9 + 5e8) * 2e-12 + (32 * 1e6 + 1e5) * 8e-12 + (32 * 10 + 1 + 300) * 24e-12;
        Assert.That(PhaseEnergy.Joules(inputs, 32, 4, k), Is.EqualTo(expected).Within(1e-12).Percent);
    }

    [Test]
    public void Estimates_default_to_all_layers_and_say_which_accounting_they_used()
    {
        var golden = DecodeStepsGolden.Load("D03_tp2_every64");
        var settings = golden.Settings with { EnergyAccounting = EnergyAccounting.AllLayers };
        Assert.That(new InferenceSettings
        {
            SequenceLength = 8, DecodeLength = 4, LayerCount = 1, BatchSize = 1, EnergyCoefficients = settings.EnergyCoefficients,
        }.EnergyAccounting, Is.EqualTo(EnergyAccounting.AllLayers));

        var prefill = new FixedPrefillModel(new PhaseCost(golden.PrefillSeconds, golden.PrefillEnergyInputs!));
        var all = InferenceEstimator.Estimate(settings, prefill, new RecordedDecodeStepModel(golden.Steps));
        var reference = InferenceEstimator.Estimate(golden.Settings, prefill, new RecordedDecodeStepModel(golden.Steps));
        Assert.Multiple(() =>
        {
            Assert.That(all.Energy.Accounting, Is.EqualTo(EnergyAccounting.AllLayers));
            Assert.That(all.Energy.PrefillJoules, Is.GreaterThan(reference.Energy.PrefillJoules));
            Assert.That(all.Energy.DecodeJoules, Is.GreaterThan(reference.Energy.DecodeJoules));
            Assert.That(all.DecodeSeconds, Is.EqualTo(reference.DecodeSeconds), "accounting changes no time");
        });
    }
}
