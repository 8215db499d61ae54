using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Graphs;

namespace RapidLlm.Tests.EndToEnd;

/// <summary>Every dense training case of the oracle, in both schemas, against the newest reference's time per batch.</summary>
public class TrainingParityTests
{
    private const double RelativeTolerance = 1e-9;

    public static IEnumerable<TestCaseData> Cases() => OracleCases.SchemaCases("train", id => !OracleCases.IsMoe(id));

    [TestCaseSource(nameof(Cases))]
    public void TimeAndPeakMemoryMatchTheReference(string caseId, string hwFile, string modelFile)
    {
        var row = OracleCases.HeadRow(caseId);
        var expectedSeconds = OracleCases.Number(row, "train_time_s");
        var expectedPeakGib = OracleCases.Number(row, "peak_mem_gib");
        var run = ConfigValidator.Validate(
            HardwareConfig.LoadYaml(OracleCases.CaseFile(caseId, hwFile)),
            ModelConfig.LoadYaml(OracleCases.CaseFile(caseId, modelFile)));
        var estimator = new TrainingEstimator(new DeviceModels(run.Hardware), singleStagePolicy: SingleStageMicroBatchPolicy.ReproduceReference);
        var estimate = estimator.Estimate(run.Model.Transformer!);
        Assert.Multiple(() =>
        {
            Assert.That(estimate.TimePerBatchSeconds, Is.EqualTo(expectedSeconds).Within(RelativeTolerance * expectedSeconds), "time");
            Assert.That(estimate.Memory!.Report.PeakGib, Is.EqualTo(expectedPeakGib).Within(RelativeTolerance * expectedPeakGib), "peak memory");
        });
    }
}
