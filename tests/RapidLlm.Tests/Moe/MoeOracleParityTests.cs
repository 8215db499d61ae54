using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Inference;
using RapidLlm.Tests.EndToEnd;

namespace RapidLlm.Tests.Moe;

/// <summary>
/// Every MoE case of the oracle, training and inference, in both schemas where the older one exists, against the
/// newest reference (the older reference crashed on MoE, so its rows hold no numbers).
/// </summary>
public sealed class MoeOracleParityTests
{
    private const double RelativeTolerance = 1e-9;

    private static IEnumerable<TestCaseData> CasesOf(string kind) => OracleCases.SchemaCases(kind, OracleCases.IsMoe);

    public static IEnumerable<TestCaseData> TrainingCases() => CasesOf("train");

    public static IEnumerable<TestCaseData> InferenceCases() => CasesOf("inference");

    private static ValidatedRun Load(string caseId, string hwFile, string modelFile) => ConfigValidator.Validate(
        HardwareConfig.LoadYaml(OracleCases.CaseFile(caseId, hwFile)),
        ModelConfig.LoadYaml(OracleCases.CaseFile(caseId, modelFile)));

    private static void Check(IReadOnlyDictionary<string, string> row, double actual, string column)
    {
        if (row[column].Length == 0) return; // the reference recorded nothing for this column
        var expected = OracleCases.Number(row, column);
        Assert.That(actual, Is.EqualTo(expected).Within(RelativeTolerance * Math.Abs(expected) + 1e-15), column);
    }

    [TestCaseSource(nameof(TrainingCases))]
    public void TrainingTimeAndPeakMemoryMatch(string caseId, string hwFile, string modelFile)
    {
        var row = OracleCases.HeadRow(caseId);
        var run = Load(caseId, hwFile, modelFile);
        var estimate = new TrainingEstimator(new DeviceModels(run.Hardware), singleStagePolicy: SingleStageMicroBatchPolicy.ReproduceReference)
            .Estimate(run.Model.Transformer!);
        Assert.Multiple(() =>
        {
            Check(row, estimate.TimePerBatchSeconds, "train_time_s");
            Assert.That(estimate.NumGpus, Is.EqualTo((int)OracleCases.Number(row, "num_gpus")), "gpus");
            Assert.That(estimate.Memory, Is.Not.Null, "memory");
            if (estimate.Memory is { } memory) Check(row, memory.Report.PeakGib, "peak_mem_gib");
        });
    }

    [TestCaseSource(nameof(InferenceCases))]
    public void InferenceMatches(string caseId, string hwFile, string modelFile)
    {
        var row = OracleCases.HeadRow(caseId);
        var run = Load(caseId, hwFile, modelFile);
        var e = new LlmInferenceEstimator(
                new DeviceModels(run.Hardware), energyAccounting: EnergyAccounting.ReferenceSingleLayer,
                singleStagePolicy: SingleStageMicroBatchPolicy.ReproduceReference)
            .Estimate(run.Model.Transformer!);
        Assert.Multiple(() =>
        {
            Check(row, e.TotalSeconds, "inf_total_s");
            Check(row, e.PrefillSeconds, "prefill_s");
            Check(row, e.DecodeSeconds, "decode_s");
            Check(row, e.TimeToFirstTokenSeconds, "ttft_s");
            Check(row, e.Energy.PrefillJoules, "energy_prefill_j");
            Check(row, e.Energy.DecodeJoules, "energy_decode_j");
            Check(row, e.Energy.TotalJoules, "energy_total_j");
            Check(row, e.KvCache.PrefillStoreBytes, "kv_prefill_store_bytes");
            Check(row, e.KvCache.DecodeFetchBytes, "kv_decode_fetch_bytes");
            Check(row, e.Samples[0].TimeSeconds, "decode_first_step_s");
            Check(row, e.Samples[^1].TimeSeconds, "decode_last_step_s");
            if (e.Rates is { } rates)
            {
                Check(row, rates.StartTokensPerSecond, "decode_rate_start");
                Check(row, rates.MidpointTokensPerSecond, "decode_rate_mid");
                Check(row, rates.EndTokensPerSecond, "decode_rate_end");
            }
            Assert.That(e.Memory, Is.Not.Null, "memory");
            if (e.Memory is { } memory)
            {
                Check(row, memory.Report.PeakGib, "peak_mem_gib");
                Check(row, memory.Report.PrefillPeakGib, "prefill_peak_gib");
                Check(row, memory.Report.DecodePeakGib, "decode_peak_gib");
            }
        });
    }
}
