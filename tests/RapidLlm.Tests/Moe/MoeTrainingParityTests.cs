using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Tests.EndToEnd;

namespace RapidLlm.Tests.Moe;

/// <summary>MoE training time per batch, end to end from YAML, against the oracle and the captured configurations.</summary>
public sealed class MoeTrainingParityTests
{
    private const double RelativeTolerance = 1e-9;

    public static IEnumerable<TestCaseData> OracleCases_()
    {
        foreach (var row in OracleCases.HeadRows("train"))
        {
            var id = row["case_id"];
            if (!id.Contains("moe", StringComparison.Ordinal)) continue;
            yield return new TestCaseData(id, OracleCases.Number(row, "train_time_s"), (int)OracleCases.Number(row, "num_gpus")).SetName(id);
        }
    }

    [TestCaseSource(nameof(OracleCases_))]
    public void OracleTimePerBatchMatches(string caseId, double expectedSeconds, int expectedGpus)
    {
        var run = ConfigValidator.Validate(
            HardwareConfig.LoadYaml(OracleCases.CaseFile(caseId, "hw.head.yaml")),
            ModelConfig.LoadYaml(OracleCases.CaseFile(caseId, "model.head.yaml")));
        var estimate = Estimate(run);
        Assert.Multiple(() =>
        {
            Assert.That(estimate.TimePerBatchSeconds, Is.EqualTo(expectedSeconds).Within(RelativeTolerance * expectedSeconds));
            Assert.That(estimate.NumGpus, Is.EqualTo(expectedGpus));
        });
    }

    public static IEnumerable<TestCaseData> Captures() => MoeCapture.Names().Select(n => new TestCaseData(n).SetName($"capture_{n}"));

    [TestCaseSource(nameof(Captures))]
    public void CapturedTimePerBatchMatches(string name)
    {
        var capture = MoeCapture.Load(name);
        var expected = capture.Root.GetProperty("train_time_s").GetDouble();
        var estimate = Estimate(capture.Run());
        Assert.That(estimate.TimePerBatchSeconds, Is.EqualTo(expected).Within(RelativeTolerance * expected));
    }

    public static IEnumerable<TestCaseData> MemoryCaptures()
    {
        var file = Path.Combine(MoeCapture.Directory, "memory_peaks.json");
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            yield return new TestCaseData(p.Name, p.Value.GetDouble()).SetName($"memory_capture_{p.Name}");
        }
    }

    [TestCaseSource(nameof(MemoryCaptures))]
    public void CapturedPeakMemoryMatches(string name, double expectedGib)
    {
        var estimate = Estimate(MoeCapture.Load(name).Run());
        Assert.That(estimate.Memory, Is.Not.Null);
        Assert.That(estimate.Memory!.Report.PeakGib, Is.EqualTo(expectedGib).Within(RelativeTolerance * expectedGib));
    }

    private static Results.TrainingEstimate Estimate(ValidatedRun run) =>
        new TrainingEstimator(new DeviceModels(run.Hardware), singleStagePolicy: SingleStageMicroBatchPolicy.ReproduceReference)
            .Estimate(run.Model.Transformer!);
}
