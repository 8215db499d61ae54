using RapidLlm.Configuration;
using RapidLlm.Estimation;
using RapidLlm.Graphs;

namespace RapidLlm.Tests.EndToEnd;

/// <summary>Every dense training case of the oracle, in both schemas, against the newest reference's time per batch.</summary>
public class TrainingParityTests
{
    private const double RelativeTolerance = 1e-9;

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var row in OracleCases.HeadRows("train"))
        {
            var id = row["case_id"];
            if (id.Contains("moe", StringComparison.Ordinal)) continue;
            foreach (var schema in new[] { "head", "seed" })
            {
                var hw = schema == "head" ? "hw.head.yaml" : "hw.yaml";
                var model = schema == "head" ? "model.head.yaml" : "model.yaml";
                if (!File.Exists(OracleCases.CaseFile(id, hw))) continue;
                yield return new TestCaseData(id, hw, model, OracleCases.Number(row, "train_time_s"), OracleCases.Number(row, "peak_mem_gib"))
                    .SetName($"{id}_{schema}");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void TimeAndPeakMemoryMatchTheReference(string caseId, string hwFile, string modelFile, double expectedSeconds, double expectedPeakGib)
    {
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
