using System.Globalization;
using RapidLlm.Validation;

namespace RapidLlm.Tests.Validation;

/// <summary>
/// The H200/H100 maximum-load throughput ratio suite on the calibrated presets: the mean |error| of the predicted ratio
/// stays within what we measured plus a margin, and H200's extra HBM buys a larger batch.
/// </summary>
[TestFixture]
public sealed class MaxLoadRatioSuiteTests
{
    // Measured 6.44 % mean |error| on the calibrated presets (7.31 % on the earlier *_calibrated files), plus a margin.
    private const double ThresholdPercent = 7.0;

    private static readonly string Root = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "validation");
    private static readonly ValidationSources Sources = new(Path.Combine(Root, "data"), Path.Combine(Root, "configs"));
    private static readonly string Presets = Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", "hardware-config");
    private static readonly string H100 = Path.Combine(Presets, "H100_SXM5_80GB.yaml");
    private static readonly string H200 = Path.Combine(Presets, "H200_SXM_141GB.yaml");
    private IReadOnlyList<MaxLoadPairResult> _results = [];

    [OneTimeSetUp]
    public void PredictAllPairs() => _results = MaxLoadRatioSuite.Predict(Sources, H100, H200);

    [Test]
    public void Mean_absolute_ratio_error_stays_within_threshold()
    {
        var suite = MaxLoadRatioSuite.ToSuiteResult(_results, H100, H200);
        foreach (var r in _results)
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{MaxLoadRatioSuite.Label(r.Pair)}: published {r.Pair.PublishedRatio:0.000}, predicted {r.PredictedRatio:0.000} ({r.SignedErrorPercent:+0.0;-0.0} %), batch H100 {r.H100.Batch} / H200 {r.H200.Batch}"));
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{MaxLoadRatioSuite.Id}: mean |error| {suite.Errors.MeanAbsPercent:0.00} % (threshold {ThresholdPercent} %)"));
        Assert.That(suite.Errors.Count, Is.EqualTo(10), "every published pair (9 TensorRT-LLM, 1 MLPerf) gets a prediction");
        Assert.That(suite.Errors.MeanAbsPercent, Is.LessThanOrEqualTo(ThresholdPercent));
    }

    [Test]
    public void H200_fits_a_larger_batch_than_H100_on_the_same_case()
    {
        // Llama-3.1-8B TP1 1000/1000: the KV cache, not the batch cap, limits both devices.
        var r = _results.Single(x => x.Pair.Model == "Llama-3.1-8B" && x.Pair.InputTokens == 1000);
        Assert.That(r.H100.Batch, Is.LessThan(1024), "H100 must be memory-limited for the comparison to mean anything");
        Assert.That(r.H200.Batch, Is.GreaterThan(r.H100.Batch));
        Assert.That(r.H200.PeakGib, Is.LessThanOrEqualTo(r.H200.CapacityGib));
        Assert.That(r.H200.CapacityGib, Is.GreaterThan(r.H100.CapacityGib));
    }

    [Test]
    public void Ratio_points_report_like_other_suites()
    {
        var suite = MaxLoadRatioSuite.ToSuiteResult(_results, H100, H200);
        Assert.That(suite.Suite.Metric, Is.EqualTo(ValidationMetric.ThroughputRatio));
        Assert.That(ValidationReport.Markdown([suite]), Does.Contain(MaxLoadRatioSuite.Id));
    }
}
