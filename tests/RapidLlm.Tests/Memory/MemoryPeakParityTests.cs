using RapidLlm.Memory;
using RapidLlm.Reports;
using RapidLlm.Tests.Graphs;

namespace RapidLlm.Tests.Memory;

/// <summary>Simulated per-device and overall peaks and the capacity text of M01..M16 against the reference.</summary>
public class MemoryPeakParityTests
{
    private static MemoryEstimate Estimate(MemoryGoldenCase golden)
    {
        var model = golden.Input();
        var sims = golden.Simulations.ToList();
        if (!golden.IsInference)
        {
            var phase = MemoryGoldenCase.Phase(sims[0]);
            return MemoryEstimator.EstimateTraining(model, phase.BatchSize, phase.SequenceLength, golden.FlattenedGraph(decode: false));
        }

        var prefill = MemoryGoldenCase.Phase(sims[0]);
        var decode = MemoryGoldenCase.Phase(sims[1]);
        return MemoryEstimator.EstimateInference(
            model, prefill.BatchSize, prefill.SequenceLength, decode.KvCacheTokens,
            golden.FlattenedGraph(decode: false), golden.FlattenedGraph(decode: true));
    }

    [TestCaseSource(typeof(MemoryGoldenCase), nameof(MemoryGoldenCase.Cases))]
    public void PeaksMatchReference(string caseName)
    {
        var golden = MemoryGoldenCase.Load(caseName);
        var estimate = Estimate(golden);
        var expectedSims = golden.Simulations.ToList();
        Assert.That(estimate.Simulations, Has.Count.EqualTo(expectedSims.Count));
        Assert.Multiple(() =>
        {
            for (var s = 0; s < expectedSims.Count; s++)
            {
                var sim = estimate.Simulations[s];
                var expected = expectedSims[s];
                Assert.That(GoldenGraphComparer.Close(sim.PeakGib, expected.GetProperty("peak_gib").GetDouble(), 1e-9), Is.True, $"sim {s} peak {sim.PeakGib:R}");
                var devices = expected.GetProperty("per_device").EnumerateArray().ToList();
                Assert.That(sim.Devices, Has.Count.EqualTo(devices.Count), $"sim {s} devices");
                for (var d = 0; d < Math.Min(devices.Count, sim.Devices.Count); d++)
                {
                    var dev = sim.Devices[d];
                    Assert.That(GoldenGraphComparer.Close(dev.StaticGib, devices[d].GetProperty("static_gib").GetDouble(), 1e-9), Is.True, $"sim {s} gpu {d} static {dev.StaticGib:R}");
                    Assert.That(GoldenGraphComparer.Close(dev.PeakGib, devices[d].GetProperty("peak_gib").GetDouble(), 1e-9), Is.True, $"sim {s} gpu {d} peak {dev.PeakGib:R}");
                    Assert.That(GoldenGraphComparer.Close(dev.EndGib, devices[d].GetProperty("current_gib").GetDouble(), 1e-9), Is.True, $"sim {s} gpu {d} end {dev.EndGib:R}");
                }
            }

            Assert.That(GoldenGraphComparer.Close(estimate.Report.PeakGib, golden.Result.GetProperty("peak_gib_reported").GetDouble(), 1e-9), Is.True, "reported peak");
        });
    }

    [TestCaseSource(typeof(MemoryGoldenCase), nameof(MemoryGoldenCase.Cases))]
    public void CapacityComparisonTextMatchesReference(string caseName)
    {
        var golden = MemoryGoldenCase.Load(caseName);
        var report = Estimate(golden).Report;
        Assert.That(MemoryCapacityText.ComparisonText(report), Is.EqualTo(golden.Result.GetProperty("memory_capacity_comparison_txt").GetString()));
        var warning = golden.Result.GetProperty("memory_capacity_warning");
        Assert.That(MemoryCapacityText.Warning(report), Is.EqualTo(warning.ValueKind == System.Text.Json.JsonValueKind.String ? warning.GetString() : null));
        Assert.That(report.Fits, Is.EqualTo(MemoryCapacityText.Warning(report) is null));
    }
}
