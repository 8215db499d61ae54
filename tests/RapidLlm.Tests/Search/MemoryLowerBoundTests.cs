using RapidLlm.Configuration;
using RapidLlm.Search;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Search;

/// <summary>The pruning bound may only ever skip candidates that cannot fit: it never exceeds the simulated peak.</summary>
public class MemoryLowerBoundTests
{
    private static IEnumerable<TestCaseData> Spaces()
    {
        var dense = (ModelPresets.Llama2_7B with { NumLayers = 8 });
        yield return new TestCaseData(dense.Training(globalBatch: 8, sequenceLength: 1024), 4, false).SetName("Dense training, GPipe");
        yield return new TestCaseData(dense.Training(globalBatch: 8, sequenceLength: 1024, gradientAccumulationSteps: 2), 4, false).SetName("Dense training with accumulation");
        yield return new TestCaseData(dense.Training(globalBatch: 8, sequenceLength: 1024, flashAttention: true), 4, true).SetName("Dense training, flash, every schedule");
        yield return new TestCaseData((ModelPresets.Llama3_1_8B with { NumLayers = 4 }).Training(globalBatch: 4, sequenceLength: 512), 8, true).SetName("GQA training on 8 GPUs");
        yield return new TestCaseData(dense.Inference(batch: 4, promptLength: 256, decodeLength: 64), 4, false).SetName("Dense inference");
        yield return new TestCaseData(dense.Inference(batch: 2, promptLength: 256, decodeLength: 0), 4, false).SetName("Prefill only");
        var moe = ModelPresets.Llama2_7B with { NumLayers = 4, Moe = new MoeConfig(4, 2, 2048, 0, 1.0, 1, 0) };
        yield return new TestCaseData(moe.Training(globalBatch: 8, sequenceLength: 512), 4, false).SetName("MoE training");
        yield return new TestCaseData(moe.Inference(batch: 2, promptLength: 128, decodeLength: 16), 4, false).SetName("MoE inference");
    }

    [TestCaseSource(nameof(Spaces))]
    public void The_bound_is_never_above_the_simulated_peak(ModelConfig model, int gpus, bool schedules)
    {
        var template = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(model);
        var points = ParallelismSearch.Candidates(template, new SearchOptions { Gpus = gpus, SearchSchedules = schedules });
        Assert.That(points, Is.Not.Empty);
        var checkedCount = 0;
        foreach (var point in points)
        {
            LlmSimulation simulation;
            try
            {
                simulation = ParallelismSearch.Simulation(template, point);
            }
            catch (ConfigurationException)
            {
                continue;
            }

            var bound = MemoryLowerBound.Bytes(simulation.Hardware, simulation.Model.Transformer!, simulation.SingleStagePolicy);
            var peak = simulation.EstimateMemory().Report.PeakGib * RapidLlm.Memory.DeviceMemory.BytesPerGib;
            Assert.That(bound, Is.LessThanOrEqualTo(peak), point.ToString());
            // And it is a useful bound: static memory and the stored activations of one micro-batch are most of the peak.
            Assert.That(bound, Is.GreaterThan(0.2 * peak), point.ToString());
            checkedCount++;
        }

        Assert.That(checkedCount, Is.GreaterThan(0));
    }

    [Test]
    public void Pruning_skips_only_candidates_that_do_not_fit()
    {
        var template = SearchFixtures.SmallTraining().Model((ModelPresets.Llama2_7B with { NumLayers = 32 }).Training(globalBatch: 4, sequenceLength: 4096));
        var all = ParallelismSearch.Run(template, SearchFixtures.Options(threads: 2));
        var pruned = ParallelismSearch.Run(template, SearchFixtures.Options(threads: 2) with { PruneByMemoryBound = true });

        Assert.That(pruned.Pruned, Is.GreaterThan(0), "the case needs candidates the bound rules out");
        Assert.That(pruned.Evaluated + pruned.Pruned, Is.EqualTo(all.Evaluated));
        Assert.That(pruned.Candidates.Where(c => c.Fits), Is.EqualTo(all.Candidates.Where(c => c.Fits)));
        Assert.That(pruned.Feasible, Is.EqualTo(all.Feasible));
    }
}
