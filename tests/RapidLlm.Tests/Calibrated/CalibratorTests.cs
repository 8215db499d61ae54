using System.Globalization;
using RapidLlm.Configuration;
using RapidLlm.Validation;

namespace RapidLlm.Tests.Calibrated;

/// <summary>The calibrator's pieces: the coordinate-descent fit, in-place value writing and the overlay difference.</summary>
public class CalibratorTests
{
    private const string Yaml = """
        # comment kept
        calibration:
          compute:
            tensor_efficiency: 0.5   # fitted
          kernels:
            kernel_gap: 2e-6
        network:
          dimensions:
            - id: dim0
              topology:
                latency: 1e-6        # per step
            - id: dim1
              topology:
                latency: 5e-6
        """;

    private static double Value(string yaml, string path) =>
        double.Parse(YamlOverlay.ValueAt(yaml, path)!, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Test]
    public void CoordinateDescentFindsTheMinimumOfEachParameterWithinItsBounds()
    {
        // A separable bowl: tensor efficiency best at 0.83, kernel gap best at 3.3 µs (log-scale search), dim0 latency at its lower bound.
        double Objective(string yaml) =>
            Math.Abs(Value(yaml, "calibration.compute.tensor_efficiency") - 0.83) * 100
            + Math.Abs(Math.Log(Value(yaml, "calibration.kernels.kernel_gap") / 3.3e-6)) * 10
            + Value(yaml, "network.dimensions[dim0].topology.latency") * 1e5;
        var stage = new FitStage("toy", "a bowl",
        [
            new FitParameter("calibration.compute.tensor_efficiency", 0.4, 0.95, "x"),
            new FitParameter("calibration.kernels.kernel_gap", 0.5e-6, 20e-6, "y"),
            new FitParameter("network.dimensions[dim0].topology.latency", 0.2e-6, 10e-6, "z"),
        ], Objective);
        var (fitted, stages) = DeviceCalibrator.Fit(Yaml, [stage]);
        Assert.Multiple(() =>
        {
            Assert.That(Value(fitted, "calibration.compute.tensor_efficiency"), Is.EqualTo(0.83).Within(0.002));
            Assert.That(Value(fitted, "calibration.kernels.kernel_gap"), Is.EqualTo(3.3e-6).Within(1).Percent);
            Assert.That(Value(fitted, "network.dimensions[dim0].topology.latency"), Is.EqualTo(0.2e-6).Within(2).Percent);
            Assert.That(Value(fitted, "network.dimensions[dim1].topology.latency"), Is.EqualTo(5e-6), "untouched");
            Assert.That(stages[0].ObjectiveAfter, Is.LessThan(stages[0].ObjectiveBefore));
            Assert.That(stages[0].Before["calibration.compute.tensor_efficiency"], Is.EqualTo(0.5));
        });
    }

    [Test]
    public void FittedValuesAreWrittenInPlaceKeepingComments()
    {
        var text = HardwareFileValues.Set(Yaml, new Dictionary<string, double>
        {
            ["calibration.compute.tensor_efficiency"] = 0.8262,
            ["network.dimensions[dim1].topology.latency"] = 4e-6,
        });
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("# comment kept"));
            Assert.That(text, Does.Contain("    tensor_efficiency: 0.8262 # fitted"));
            Assert.That(Value(text, "network.dimensions[dim1].topology.latency"), Is.EqualTo(4e-6));
            Assert.That(Value(text, "network.dimensions[dim0].topology.latency"), Is.EqualTo(1e-6));
            Assert.That(text.Split('\n'), Has.Length.EqualTo(Yaml.Split('\n').Length));
        });
    }

    [Test]
    public void AMissingPathIsAnErrorNamingIt() =>
        Assert.That(() => HardwareFileValues.Set(Yaml, new Dictionary<string, double> { ["calibration.memory.hbm_efficiency"] = 0.9 }),
            Throws.InvalidOperationException.With.Message.Contains("calibration.memory.hbm_efficiency"));

    [Test]
    public void TheOverlayDifferenceTurnsTheBaseIntoTheChangedFile()
    {
        var changed = Yaml.Replace("kernel_gap: 2e-6", "kernel_gap: 3e-6", StringComparison.Ordinal).Replace("latency: 5e-6", "latency: 4e-6", StringComparison.Ordinal);
        var overlay = YamlOverlay.Difference(Yaml, changed);
        var merged = YamlOverlay.Merge(Yaml, overlay);
        Assert.Multiple(() =>
        {
            Assert.That(overlay, Does.Contain("kernel_gap").And.Contain("dim1").And.Not.Contain("tensor_efficiency").And.Not.Contain("dim0"));
            Assert.That(Value(merged, "calibration.kernels.kernel_gap"), Is.EqualTo(3e-6));
            Assert.That(Value(merged, "network.dimensions[dim1].topology.latency"), Is.EqualTo(4e-6));
            Assert.That(YamlOverlay.Difference(Yaml, Yaml), Is.Empty);
        });
    }

    [Test]
    public void EveryCaseHardwareFileDiffersFromTheBaseOnlyInWhatItsCommentSays()
    {
        // cases/*/hw_h100.yaml = cases/hw/h100.yaml with recomputation off (and fp32 optimizer states for training steps).
        var withOverlay = GpuData.H100Entries.Where(e => e.HardwareOverlay.Length > 0).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(withOverlay.Select(e => e.Section).Distinct(), Is.EquivalentTo(new[] { "layer", "train" }));
            Assert.That(withOverlay.All(e => e.HardwareOverlay.Contains("full_recomputation: false", StringComparison.Ordinal)), Is.True);
            Assert.That(withOverlay.Where(e => e.Section == "train").All(e => e.HardwareOverlay.Contains("optimizer_states: fp32", StringComparison.Ordinal)), Is.True);
        });
    }
}
