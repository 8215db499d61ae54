using RapidLlm.Validation;

namespace RapidLlm.Tests.Validation;

/// <summary>
/// Runs every suite once on the data and configs kept under data/validation and checks each suite's mean |error|
/// against a threshold: the reference's own where it has one (Koyeb), else what we measured plus a small margin, so a
/// change that makes predictions worse fails here. The whole set runs in about 10 s on two cores.
/// </summary>
[TestFixture]
public sealed class ValidationSuiteTests
{
    // Measured mean |error| at the time of writing, rounded up with a margin of at least 0.5 points.
    private static readonly Dictionary<string, double> Thresholds = new(StringComparer.Ordinal)
    {
        [KoyebSuite.Id] = 6.5,
        ["imec-a100-llama2"] = 58.5,
        ["imec-h100-llama2"] = 103.5,
        ["nim-a100-llama33-70b-e2e"] = 77.5,
        ["nim-a100-llama33-70b-ttft"] = 27.5,
        ["nim-a100-llama33-70b-itl"] = 77.0,
        ["nim-h100-llama33-70b-e2e"] = 35.5,
        ["nim-h100-llama33-70b-ttft"] = 51.5,
        ["nim-h100-llama33-70b-itl"] = 31.0,
        [MegatronTrainingSuite.Id] = 12.5,
        [UciTrainingSuite.Id] = 37.5,
        // The calibrated presets (configs/hardware-config), every suite: measured plus at least 0.5 points.
        ["koyeb-a100-llama31-8b-preset"] = 6.5,  // 6.47 %: vLLM engine (engines/vllm_koyeb.yaml); the target
        ["imec-a100-llama2-preset"] = 9.5,
        ["nim-a100-llama33-70b-e2e-preset"] = 7.8,
        ["nim-a100-llama33-70b-ttft-preset"] = 6.0,
        ["nim-a100-llama33-70b-itl-preset"] = 7.1,
        ["imec-h100-llama2-preset"] = 5.1,
        ["nim-h100-llama33-70b-e2e-preset"] = 5.6,
        ["nim-h100-llama33-70b-ttft-preset"] = 26.7,
        ["nim-h100-llama33-70b-itl-preset"] = 4.8,
        [MegatronTrainingSuite.Id + "-preset"] = 4.2,
        [UciTrainingSuite.Id + "-preset"] = 35.7,
    };

    private static readonly string Root = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "validation");
    private static readonly string Presets = Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", "hardware-config");

    // The reference-model runs: the reference's validation files, and the Megatron suite on the reference-valued preset.
    private static readonly ValidationSources Sources = new(Path.Combine(Root, "data"), Path.Combine(Root, "configs"), Path.Combine(Presets, "reference"));
    private Dictionary<string, SuiteResult> _results = [];

    [OneTimeSetUp]
    public void RunAllSuites()
    {
        var suites = ValidationCatalog.All(Sources).ToList();
        suites.AddRange(ValidationCatalog.OnPresets(Sources, Path.Combine(Presets, "H100_SXM5_80GB.yaml"), Path.Combine(Presets, "a100_80GB.yaml"), "preset"));
        _results = new ValidationRunner().Run(suites).ToDictionary(r => r.Suite.Id, StringComparer.Ordinal);
    }

    public static IEnumerable<string> SuiteIds => Thresholds.Keys;

    [TestCaseSource(nameof(SuiteIds))]
    public void Mean_absolute_error_stays_within_threshold(string id)
    {
        var result = _results[id];
        var missing = result.Missing.Where(p => p.Point.SkipReason is null).Select(p => $"{p.Point.Label}: {p.Problem}").ToList();
        Assert.That(missing, Is.Empty, "every point that is not skipped on purpose must get a prediction");
        TestContext.Out.WriteLine($"{id}: mean |error| {result.Errors.MeanAbsPercent:0.00} % (threshold {Thresholds[id]} %)");
        Assert.That(result.Errors.MeanAbsPercent, Is.LessThanOrEqualTo(Thresholds[id]));
    }

    [Test]
    public void Koyeb_reproduces_the_reference_mean_error()
    {
        // The reference at 317a2cb gives 5.978 % on this suite with the same configs (decode times printed at 4 d.p.).
        var errors = _results[KoyebSuite.Id].Errors;
        Assert.That(errors.Count, Is.EqualTo(9));
        Assert.That(errors.MeanAbsPercent, Is.EqualTo(5.978).Within(0.01));
        Assert.That(errors.MeanSignedPercent, Is.EqualTo(3.60).Within(0.01));
    }

    // Koyeb is the exception: the reference's single-GPU file reaches 6.0 % by pricing decode at the datasheet bandwidth,
    // which hides vLLM's host work per step; the calibrated preset prices the GPU at its achievable bandwidth plus the
    // engine's fitted host work per iteration and reaches 6.5 % (docs/validation.md, "Serving engines").
    [TestCase("imec-a100-llama2")]
    [TestCase("imec-h100-llama2")]
    [TestCase("nim-a100-llama33-70b-e2e")]
    [TestCase("nim-a100-llama33-70b-ttft")]
    [TestCase("nim-a100-llama33-70b-itl")]
    [TestCase("nim-h100-llama33-70b-e2e")]
    [TestCase("nim-h100-llama33-70b-ttft")]
    [TestCase("nim-h100-llama33-70b-itl")]
    [TestCase(MegatronTrainingSuite.Id)]
    [TestCase(UciTrainingSuite.Id)]
    public void Calibrated_presets_are_more_accurate_than_the_reference_files(string id)
    {
        Assert.That(_results[id + "-preset"].Errors.MeanAbsPercent, Is.LessThan(_results[id].Errors.MeanAbsPercent));
    }

    // The 4×H100 2000/2000 rows are flagged as measurement artefacts (NimInferenceSuite.Artefact): they count in the
    // thresholds above; without them the preset's errors are these (measured plus a margin).
    [TestCase("nim-h100-llama33-70b-e2e-preset", 2, 4.4)]
    [TestCase("nim-h100-llama33-70b-ttft-preset", 1, 13.8)]
    [TestCase("nim-h100-llama33-70b-itl-preset", 1, 3.7)]
    public void Flagged_rows_are_counted_and_also_reported_apart(string id, int flagged, double threshold)
    {
        var result = _results[id];
        Assert.That(result.Flagged.Count(), Is.EqualTo(flagged));
        Assert.That(result.ErrorsWithoutFlagged.Count, Is.EqualTo(result.Errors.Count - flagged));
        Assert.That(result.ErrorsWithoutFlagged.MeanAbsPercent, Is.LessThanOrEqualTo(threshold));
    }

    [Test]
    public void Other_tools_are_compared_on_the_points_they_cover()
    {
        var comparisons = _results["nim-a100-llama33-70b-e2e"].ToolComparisons();
        Assert.That(comparisons.Select(c => c.Tool), Is.EquivalentTo(new[] { "LLMCompass", "Vidur", "GenZ" }));
        Assert.That(comparisons.All(c => c.Theirs.Count == c.Ours.Count && c.Theirs.Count > 0), Is.True);
    }

    [Test]
    public void Reports_list_every_point()
    {
        var results = _results.Values.ToList();
        var csvRows = ValidationReport.Csv(results).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        Assert.That(csvRows, Is.EqualTo(results.Sum(r => r.Points.Count)));
        Assert.That(ValidationReport.Markdown(results), Does.Contain("| koyeb-a100-llama31-8b | decode tok/s | 9 | 5.98 %"));
    }
}
