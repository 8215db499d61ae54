using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Inference;

namespace RapidLlm.Tests.EndToEnd;

/// <summary>Every dense inference case of the oracle, in both schemas, against the newest reference.</summary>
public class InferenceParityTests
{
    private const double RelativeTolerance = 1e-9;

    public static IEnumerable<TestCaseData> Cases() => OracleCases.SchemaCases("inference", id => !OracleCases.IsMoe(id));

    [TestCaseSource(nameof(Cases))]
    public void InferenceMatchesTheReference(string caseId, string hwFile, string modelFile)
    {
        var row = OracleCases.HeadRow(caseId);
        var run = ConfigValidator.Validate(
            HardwareConfig.LoadYaml(OracleCases.CaseFile(caseId, hwFile)),
            ModelConfig.LoadYaml(OracleCases.CaseFile(caseId, modelFile)));
        var estimator = new LlmInferenceEstimator(
            new DeviceModels(run.Hardware), energyAccounting: EnergyAccounting.ReferenceSingleLayer,
            singleStagePolicy: SingleStageMicroBatchPolicy.ReproduceReference);
        var e = estimator.Estimate(run.Model.Transformer!);

        void Check(double actual, string column)
        {
            if (row[column].Length == 0) return; // the reference recorded nothing (e.g. no decode peak without decode)
            var expected = OracleCases.Number(row, column);
            Assert.That(actual, Is.EqualTo(expected).Within(RelativeTolerance * Math.Abs(expected) + 1e-15), column);
        }

        Assert.Multiple(() =>
        {
            Check(e.TotalSeconds, "inf_total_s");
            Check(e.PrefillSeconds, "prefill_s");
            Check(e.DecodeSeconds, "decode_s");
            Check(e.TimeToFirstTokenSeconds, "ttft_s");
            Check(e.Energy.PrefillJoules, "energy_prefill_j");
            Check(e.Energy.DecodeJoules, "energy_decode_j");
            Check(e.Energy.TotalJoules, "energy_total_j");
            Check(e.KvCache.PrefillStoreBytes, "kv_prefill_store_bytes");
            Check(e.KvCache.DecodeFetchBytes, "kv_decode_fetch_bytes");
            Check(e.Memory!.Report.PeakGib, "peak_mem_gib");
            Check(e.Memory!.Report.PrefillPeakGib, "prefill_peak_gib");
            Check(e.Memory!.Report.DecodePeakGib, "decode_peak_gib");
            if (e.Rates is { } rates)
            {
                Check(rates.StartTokensPerSecond, "decode_rate_start");
                Check(rates.EndTokensPerSecond, "decode_rate_end");
            }
        });
    }
}
