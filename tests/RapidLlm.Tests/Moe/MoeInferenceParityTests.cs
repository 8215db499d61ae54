using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Moe;

/// <summary>MoE and MLA inference (prefill, each sampled decode step, totals and energy) against captured reference runs.</summary>
public sealed class MoeInferenceParityTests
{
    private const double RelativeTolerance = 1e-9;

    public static IEnumerable<TestCaseData> Captures() =>
        MoeInferenceCapture.Names().Select(n => new TestCaseData(n).SetName($"inference_capture_{n}"));

    private static InferenceEstimate Estimate(MoeInferenceCapture capture, bool includeMemory = false)
    {
        var run = capture.Run();
        return new LlmInferenceEstimator(
                new DeviceModels(run.Hardware), energyAccounting: EnergyAccounting.ReferenceSingleLayer,
                singleStagePolicy: SingleStageMicroBatchPolicy.ReproduceReference)
            .Estimate(run.Model.Transformer!, includeMemory);
    }

    private static void Near(double actual, double expected, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(RelativeTolerance * Math.Abs(expected) + 1e-15), what);

    [TestCaseSource(nameof(Captures))]
    public void PhasesAndEnergyMatch(string name)
    {
        var capture = MoeInferenceCapture.Load(name);
        var e = Estimate(capture);
        var samples = capture.Root.GetProperty("samples").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Near(e.PrefillSeconds, capture.Number("prefill_s"), "prefill");
            Near(e.DecodeSeconds, capture.Number("decode_s"), "decode");
            Near(e.TotalSeconds, capture.Number("total_s"), "total");
            Near(e.TimeToFirstTokenSeconds, capture.Number("ttft_s"), "ttft");
            Near(e.Energy.PrefillJoules, capture.Number("prefill_energy_j"), "prefill energy");
            Near(e.Energy.DecodeJoules, capture.Number("decode_energy_j"), "decode energy");
            Assert.That(e.Samples.Count, Is.EqualTo(samples.Count), "samples");
            for (var i = 0; i < Math.Min(e.Samples.Count, samples.Count); i++)
            {
                Assert.That(e.Samples[i].KvLengthTokens, Is.EqualTo(samples[i].GetProperty("kv_len").GetInt64()), $"kv length {i}");
                Near(e.Samples[i].TimeSeconds, samples[i].GetProperty("time_s").GetDouble(), $"step {i} time");
                Near(e.Samples[i].EnergyJoules, samples[i].GetProperty("energy_j").GetDouble(), $"step {i} energy");
            }
        });
    }

    [TestCaseSource(nameof(Captures))]
    public void MemoryPeaksMatch(string name)
    {
        var capture = MoeInferenceCapture.Load(name);
        var peaks = capture.Root.GetProperty("memory").EnumerateArray()
            .Where(m => m.GetProperty("kind").GetString() == "peak")
            .ToDictionary(m => m.GetProperty("filename").GetString()!, m => m.GetProperty("peak_gib").GetDouble());
        var run = capture.Run();
        var memory = new LlmInferenceEstimator(new DeviceModels(run.Hardware), singleStagePolicy: SingleStageMicroBatchPolicy.ReproduceReference)
            .EstimateMemory(run.Model.Transformer!);
        Assert.Multiple(() =>
        {
            Near(memory.Report.PrefillPeakGib, peaks["memory_graph_prefill"], "prefill peak");
            Near(memory.Report.DecodePeakGib, peaks["memory_graph_decode"], "decode peak");
            Near(memory.Report.PeakGib, capture.Number("peak_mem_gib"), "peak");
        });
    }
}
