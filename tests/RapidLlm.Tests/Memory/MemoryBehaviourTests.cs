using RapidLlm.Memory;
using RapidLlm.Tests.Graphs;
using RapidLlm.Tests.Graphs.Flattening;

namespace RapidLlm.Tests.Memory;

/// <summary>Properties of the memory estimate beyond golden parity.</summary>
public class MemoryBehaviourTests
{
    [TestCase("M01_single_norecompute")]
    [TestCase("M03_single_flash_norecompute")]
    [TestCase("M09_tp2_sp")]
    [TestCase("M10_pp2_mb2")]
    [TestCase("M11_cp2_flash")]
    [TestCase("M16_const_offset_tied_false")]
    public void FullRecomputeNeverRaisesThePeak(string caseName)
    {
        var golden = MemoryGoldenCase.Load(caseName);
        var model = golden.Input();
        var phase = MemoryGoldenCase.Phase(golden.Simulations.First());
        var graph = golden.FlattenedGraph(decode: false);
        var stored = MemoryEstimator.EstimateTraining(model with { FullRecompute = false }, phase.BatchSize, phase.SequenceLength, graph);
        var recomputed = MemoryEstimator.EstimateTraining(model with { FullRecompute = true }, phase.BatchSize, phase.SequenceLength, graph);
        Assert.That(recomputed.Report.PeakGib, Is.LessThanOrEqualTo(stored.Report.PeakGib));
    }

    [TestCaseSource(typeof(PipelineGoldenParityTests), nameof(PipelineGoldenParityTests.Cases))]
    public void GoldenGraphMemorySimulationMatchesFinishTimesAndPeak(string caseName)
    {
        var (graph, golden, order, result) = FlattenedGoldenCase.Build(caseName);
        var s = result.GetProperty("tc_summary");
        var model = new MemoryEstimatorInput
        {
            HiddenDim = s.GetProperty("hidden_dim").GetInt32(),
            IntermediateSize = s.GetProperty("intermediate_size").GetInt32(),
            Heads = s.GetProperty("num_heads").GetInt32(),
            KeyValueHeads = s.GetProperty("kv_heads").GetInt32(),
            VocabularySize = s.GetProperty("vocab_size").GetInt32(),
            GatedMlp = true,
            TensorParallel = s.GetProperty("tp").GetInt32(),
            TensorSequenceParallel = s.GetProperty("tp_sp").GetBoolean(),
            ContextParallel = s.GetProperty("cp").GetInt32(),
            PipelineStages = s.GetProperty("pp").GetInt32(),
            DataParallel = s.GetProperty("dp").GetInt32(),
            ZeroStage = s.GetProperty("zero_stage").GetInt32(),
            FullRecompute = s.GetProperty("full_recomputation").GetBoolean(),
            FlashAttention = s.GetProperty("flash_attention").GetBoolean(),
            GradientBytes = 4,
            Layout = FlattenedGoldenCase.Input(result).Layout,
            CapacityBytes = 80.0 * 1024 * 1024 * 1024,
        };
        var estimate = MemoryEstimator.EstimateTraining(model, s.GetProperty("effective_transformer_batch").GetInt32(), s.GetProperty("seq_len").GetInt32(), graph);
        var sim = estimate.Simulations[0];
        Assert.Multiple(() =>
        {
            Assert.That(GoldenGraphComparer.Close(sim.PeakGib, s.GetProperty("memory_peak_gb").GetDouble(), 1e-9), Is.True, $"peak {sim.PeakGib:R}");
            for (var i = 0; i < Math.Min(order.Count, golden.Objects.Length); i++)
            {
                var actual = sim.FinishTimesSeconds[order[i].Index];
                Assert.That(GoldenGraphComparer.Close(actual, golden.Objects[i].FinishTime, 1e-12), Is.True, $"#{i} {order[i].Name}");
            }

            var breakdown = estimate.PeakBreakdown!;
            Assert.That(breakdown.TotalBytes, Is.EqualTo(sim.PeakDevice!.PeakBytes).Within(1e-6), "breakdown sums to the peak");
        });
    }
}
