using RapidLlm.Reports;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Inference;

/// <summary>Behaviour the reference lacks or crashes on: prefill-only, decode-only, degenerate sampling, bad settings.</summary>
[TestFixture]
public sealed class EdgeCaseTests
{
    private static readonly EnergyCoefficients Coefficients = new(1.8e-13, 4.5e-12, 8e-12);
    private static readonly PhaseEnergyInputs Work = new(1e9, 1e8, 0, 1e7, 1e6, 0, 4096);

    /// <summary>Step time grows linearly with KV length, like decode attention.</summary>
    private sealed class LinearStepModel : IDecodeStepModel
    {
        public List<long> Requested { get; } = [];

        public PhaseCost EstimateStep(long kvLengthTokens)
        {
            Requested.Add(kvLengthTokens);
            return new PhaseCost(0.01 + 1e-6 * kvLengthTokens, Work);
        }
    }

    private static InferenceSettings Settings(int seq, int decode, int sampleEvery = -1) => new()
    {
        SequenceLength = seq,
        DecodeLength = decode,
        SampleEvery = sampleEvery,
        LayerCount = 4,
        BatchSize = 2,
        KvCacheBytesPerTokenPerLayer = KvCacheTraffic.BytesPerTokenPerLayer(2, 8, 128, 2),
        EnergyCoefficients = Coefficients,
    };

    [TestCase(128, -1, new[] { 0, 127 })]
    [TestCase(128, 64, new[] { 0, 63, 127 })]
    [TestCase(128, 32, new[] { 0, 31, 63, 95, 127 })]
    [TestCase(100, 30, new[] { 0, 29, 59, 89, 99 })]
    [TestCase(5, 1, new[] { 0, 1, 2, 3, 4 })]
    [TestCase(1, -1, new[] { 0 })]
    [TestCase(1, 7, new[] { 0 })]
    [TestCase(3, 1000, new[] { 0, 2 })]
    [TestCase(0, 4, new int[0])]
    public void Sample_steps(int decodeLength, int sampleEvery, int[] expected) =>
        Assert.That(DecodeSampling.SampleSteps(decodeLength, sampleEvery), Is.EqualTo(expected));

    [TestCase(0)]
    [TestCase(-2)]
    public void Invalid_sampling_interval_is_rejected(int sampleEvery) =>
        Assert.That(() => DecodeSampling.SampleSteps(10, sampleEvery), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Sampling_every_step_simulates_each_kv_length_once_and_keeps_the_reference_half_step_bias()
    {
        var model = new LinearStepModel();
        var e = InferenceEstimator.Estimate(Settings(64, 16, sampleEvery: 1), new FixedPrefill(), model);
        var exact = Enumerable.Range(0, 16).Sum(step => 0.01 + 1e-6 * (48 + step + 1));
        // The reference's rule counts the first step whole and then one trapezoid per gap, which comes out
        // (t_last − t_first)/2 below the plain sum of all steps, however densely it samples.
        var bias = (1e-6 * 64 - 1e-6 * 49) / 2;
        Assert.That(e.DecodeSeconds, Is.EqualTo(exact - bias).Within(1e-9).Percent);
        Assert.That(model.Requested, Is.EqualTo(Enumerable.Range(49, 16).Select(i => (long)i)));
    }

    [Test]
    public void Linear_step_times_integrate_exactly_from_first_and_last()
    {
        var e = InferenceEstimator.Estimate(Settings(1024, 256), new FixedPrefill(), new LinearStepModel());
        // The trapezoid is exact for linear costs except that the first step is counted once on its own.
        var exact = Enumerable.Range(0, 256).Sum(step => 0.01 + 1e-6 * (768 + step + 1));
        var firstStep = 0.01 + 1e-6 * 769;
        var lastStep = 0.01 + 1e-6 * 1024;
        Assert.That(e.DecodeSeconds, Is.EqualTo(exact + (firstStep - lastStep) / 2).Within(1e-9).Percent);
    }

    [Test]
    public void Prefill_only_run_skips_decode_and_reports_no_rates()
    {
        var prefill = new FixedPrefill();
        var decode = new LinearStepModel();
        var e = InferenceEstimator.Estimate(Settings(512, 0), prefill, decode);
        Assert.Multiple(() =>
        {
            Assert.That(decode.Requested, Is.Empty);
            Assert.That(e.DecodeSkipped, Is.True);
            Assert.That(e.DecodeSeconds, Is.Zero);
            Assert.That(e.TimeToFirstTokenSeconds, Is.EqualTo(FixedPrefill.Seconds));
            Assert.That(e.TotalSeconds, Is.EqualTo(FixedPrefill.Seconds));
            Assert.That(e.Rates, Is.Null);
            Assert.That(e.Throughput, Is.Null);
            Assert.That(e.Integral, Is.Null);
            Assert.That(e.Energy.DecodeJoules, Is.Zero);
            Assert.That(e.Energy.DecodeJoulesPerToken, Is.Zero);
            Assert.That(e.KvCache.DecodeFetchBytes, Is.Zero);
            Assert.That(InferenceReportText.ComputationLines(e)[0], Is.EqualTo("Skipping decode"));
            Assert.That(InferenceReportText.ResultLines(e, "analytical"), Has.Count.EqualTo(3));
        });
    }

    [Test]
    public void Decode_only_run_has_zero_prefill_and_first_token_from_the_first_step()
    {
        var prefill = new FixedPrefill();
        var e = InferenceEstimator.Estimate(Settings(256, 256, sampleEvery: 64), prefill, new LinearStepModel());
        Assert.Multiple(() =>
        {
            Assert.That(prefill.Calls, Is.Zero);
            Assert.That(e.PrefillSkipped, Is.True);
            Assert.That(e.PrefillSeconds, Is.Zero);
            Assert.That(e.Samples[0].KvLengthTokens, Is.EqualTo(1));
            Assert.That(e.TimeToFirstTokenSeconds, Is.EqualTo(e.Samples[0].TimeSeconds));
            Assert.That(e.Energy.PrefillJoules, Is.Zero);
            Assert.That(e.Energy.PrefillJoulesPerToken, Is.Zero);
            Assert.That(e.Energy.TotalJoulesPerToken, Is.EqualTo(e.Energy.DecodeJoulesPerToken).Within(1e-12).Percent);
            Assert.That(e.KvCache.PrefillStoreBytes, Is.Zero);
            Assert.That(InferenceReportText.ComputationLines(e)[0], Is.EqualTo("Skipping prefill"));
            Assert.That(InferenceReportText.ComputationLines(e)[1], Does.StartWith("[decode] sample step 0: seq_len=1,"));
        });
    }

    [Test]
    public void Single_token_decode_uses_one_sample_for_every_rate()
    {
        var e = InferenceEstimator.Estimate(Settings(100, 1), new FixedPrefill(), new LinearStepModel());
        var step = 0.01 + 1e-6 * 100;
        Assert.Multiple(() =>
        {
            Assert.That(e.DecodeSeconds, Is.EqualTo(step));
            Assert.That(e.Rates!.MidpointStep, Is.Zero);
            Assert.That(e.Rates.StartTokensPerSecond, Is.EqualTo(1 / step));
            Assert.That(e.Rates.EndTokensPerSecond, Is.EqualTo(1 / step));
            Assert.That(e.Integral!.Segments, Is.Empty);
        });
    }

    [Test]
    public void Replicas_multiply_throughput_but_not_time()
    {
        var one = InferenceEstimator.Estimate(Settings(1024, 128), new FixedPrefill(), new LinearStepModel());
        var four = InferenceEstimator.Estimate(Settings(1024, 128) with { ReplicaCount = 4 }, new FixedPrefill(), new LinearStepModel());
        Assert.Multiple(() =>
        {
            Assert.That(four.TotalSeconds, Is.EqualTo(one.TotalSeconds));
            Assert.That(four.Rates, Is.EqualTo(one.Rates));
            Assert.That(four.Throughput!.StartTokensPerSecond, Is.EqualTo(4 * one.Throughput!.StartTokensPerSecond).Within(1e-12).Percent);
            Assert.That(four.Throughput.StartTokensPerSecond, Is.EqualTo(one.Rates!.StartTokensPerSecond * 2 * 4).Within(1e-12).Percent);
        });
    }

    [Test]
    public void Interpolated_step_time_is_linear_between_samples_and_clamped_outside()
    {
        DecodeSample[] samples = [new(10, 0, 1.0, 0), new(20, 0, 2.0, 0)];
        Assert.Multiple(() =>
        {
            Assert.That(DecodeRates.StepTimeAt(samples, 0), Is.EqualTo(1.0));
            Assert.That(DecodeRates.StepTimeAt(samples, 15), Is.EqualTo(1.5));
            Assert.That(DecodeRates.StepTimeAt(samples, 99), Is.EqualTo(2.0));
        });
    }

    [Test]
    public void Out_of_order_samples_are_rejected()
    {
        DecodeSample[] samples = [new(5, 0, 1.0, 0), new(5, 0, 2.0, 0)];
        Assert.That(() => DecodeIntegration.Integrate(samples, 6), Throws.ArgumentException);
    }

    [Test]
    public void Invalid_settings_are_reported_together()
    {
        var settings = Settings(10, 20, sampleEvery: 0) with { LayerCount = 0, ReplicaCount = 0 };
        var problems = settings.Problems();
        Assert.That(problems, Has.Count.EqualTo(4));
        Assert.That(() => InferenceEstimator.Estimate(settings, new FixedPrefill(), new LinearStepModel()),
            Throws.ArgumentException.With.Message.Contains("DecodeLength").And.Message.Contains("SampleEvery"));
    }

    [Test]
    public void ToString_is_a_readable_summary_with_units()
    {
        var text = InferenceEstimator.Estimate(Settings(1024, 128), new FixedPrefill(), new LinearStepModel()).ToString();
        Assert.That(text, Does.Contain("time to first token").And.Contain("ms").And.Contain("tok/s").And.Contain("GiB").And.Contain("AllLayers"));
    }

    private sealed class FixedPrefill : IPrefillModel
    {
        public const double Seconds = 0.125;

        public int Calls { get; private set; }

        public PhaseCost EstimatePrefill(long promptTokens)
        {
            Calls++;
            return new PhaseCost(Seconds, Work);
        }
    }
}
