using RapidLlm.AstraSim;
using RapidLlm.AstraSim.Execution;
using RapidLlm.AstraSim.Running;
using RapidLlm.Validation;

namespace RapidLlm.Tests.Validation;

/// <summary>
/// The A100 suites whose reference configs ask for AstraSim (fully connected NVLink), run on it. Needs the binary;
/// without one each case is skipped visibly. Thresholds are what we measured with the AstraSim build named in
/// docs/backends.md, plus half a point.
/// </summary>
public class AstraValidationTests
{
    private static readonly string Root = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "validation");

    [TestCase("imec-a100-llama2", 8.7)]
    [TestCase("nim-a100-llama33-70b-e2e", 9.6)]
    [TestCase("nim-a100-llama33-70b-itl", 16.1)]
    public void SuiteOnAstraSimStaysWithinThreshold(string suiteId, double maxMeanAbsolutePercent)
    {
        if (!AstraSimBinaryLocator.TryLocate(null, out _, Environment.GetEnvironmentVariable))
            SkipReason.Skip($"No AstraSim binary: set {AstraSimBinaryLocator.EnvironmentVariable} to run the AstraSim validation suites.");
        var sources = new ValidationSources(Path.Combine(Root, "data"), Path.Combine(Root, "configs"));
        var suite = ValidationCatalog.All(sources).Single(s => s.Id == suiteId);
        var astra = AstraSimOptions.FromEnvironment(Path.Combine(Path.GetTempPath(), "rapidllm-validation-astra"), Environment.GetEnvironmentVariable);
        var result = new ValidationRunner(new ValidationRunnerOptions(ForceAnalytical: false) { Backends = b => b.UseAstraSim(astra) }).Run(suite);
        Assert.That(result.Points.Where(p => p.Predicted is not null).Count(), Is.GreaterThan(0));
        Assert.That(result.Errors.MeanAbsPercent, Is.LessThanOrEqualTo(maxMeanAbsolutePercent), suiteId);
    }
}
