using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Search;
using RapidLlm.Tests.Configuration;

namespace RapidLlm.Tests.Memory;

/// <summary>
/// Replaying each GPU's operations in the stage order gives exactly (bit for bit, every device, every component) what
/// simulating the flattened per-rank graph gives.
/// </summary>
public class PipelineMemoryReplayTests
{
    private static IEnumerable<TestCaseData> OracleTrainingCases() =>
        Directory.EnumerateDirectories(Path.Combine(TestData.Root, "oracle", "cases"), "t_*")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Select(id => new TestCaseData(id).SetName("Oracle " + id));

    [TestCaseSource(nameof(OracleTrainingCases))]
    public void Every_oracle_training_case_has_the_flattened_graphs_memory(string caseId)
    {
        ValidatedRun run;
        try
        {
            run = ConfigValidator.Validate(HardwareConfig.LoadYaml(TestData.Oracle(caseId, "hw.head.yaml")), ModelConfig.LoadYaml(TestData.Oracle(caseId, "model.head.yaml")));
        }
        catch (ConfigurationException)
        {
            Assert.Ignore("an error case");
            return;
        }

        AssertSame(run.Hardware, run.Model.Transformer!);
    }

    private static IEnumerable<TestCaseData> Spaces()
    {
        var dense = ModelPresets.Llama2_7B with { NumLayers = 8 };
        yield return new TestCaseData(dense.Training(globalBatch: 8, sequenceLength: 512), 4).SetName("Llama-shaped, 4 GPUs, every schedule");
        yield return new TestCaseData((ModelPresets.Llama3_1_8B with { NumLayers = 4 }).Training(globalBatch: 4, sequenceLength: 512, flashAttention: true), 8).SetName("GQA with flash, 8 GPUs");
        yield return new TestCaseData((ModelPresets.Llama2_7B with { NumLayers = 4, Moe = new MoeConfig(4, 2, 2048, 0, 1.0, 1, 0) }).Training(globalBatch: 8, sequenceLength: 256), 4).SetName("MoE, 4 GPUs");
        yield return new TestCaseData((ModelPresets.Llama2_7B with { NumLayers = 3 }).Training(globalBatch: 4, sequenceLength: 256, gradientAccumulationSteps: 2), 4).SetName("Uneven layers and accumulation");
    }

    [TestCaseSource(nameof(Spaces))]
    public void Every_candidate_of_a_search_space_has_the_flattened_graphs_memory(ModelConfig model, int gpus) =>
        SameOverSpace(HardwarePresets.A100Sxm80GB, model, gpus);

    [TestCase(0.6, 0.63, 0.0)]
    [TestCase(0.5, 0.5, 0.5)]
    [TestCase(1.0, 1.0, 1.0)]
    public void Overlapped_collectives_keep_the_flattened_graphs_memory(double tp, double tpSp, double cp)
    {
        var a100 = HardwarePresets.A100Sxm80GB;
        var overlapped = a100 with { Network = a100.Network with { Overlap = new NetworkOverlapConfig(tp, tpSp, cp) } };
        SameOverSpace(overlapped, (ModelPresets.Llama2_7B with { NumLayers = 4 }).Training(globalBatch: 4, sequenceLength: 512), 4);
        // Tensor parallelism without SP (the overlap's other mode), on an MoE model.
        SameOverSpace(overlapped, (ModelPresets.Llama2_7B with { NumLayers = 4, Moe = new MoeConfig(4, 2, 2048, 0, 1.0, 1, 0) }).Training(globalBatch: 8, sequenceLength: 256), 4,
            sequenceParallel: false);
    }

    private static void SameOverSpace(HardwareConfig hardware, ModelConfig model, int gpus, bool sequenceParallel = true)
    {
        var template = LlmSimulation.Create().Hardware(hardware).Model(model);
        var checkedCount = 0;
        var options = new SearchOptions { Gpus = gpus, SearchSchedules = true, PipelineStages = new[] { 1, 2, 4 }, SequenceParallel = new[] { sequenceParallel } };
        var withoutSequenceParallel = 0;
        foreach (var point in ParallelismSearch.Candidates(template, options))
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

            AssertSame(simulation.Hardware, simulation.Model.Transformer!, point.ToString());
            checkedCount++;
            if (simulation.Hardware.Parallelism is { Tp: > 1, TpSp: false }) withoutSequenceParallel++;
        }

        Assert.That(checkedCount, Is.GreaterThanOrEqualTo(10));
        Assert.That(withoutSequenceParallel, sequenceParallel ? Is.Zero : Is.Positive, "tensor-parallel layouts without SP");
    }

    [Test]
    public void The_70B_tp8_pp8_case_has_the_flattened_graphs_memory_under_every_schedule()
    {
        var hardware = HardwarePresets.A100Sxm80GB;
        var model = (ModelPresets.Llama3_1_70B with { NumLayers = 16 }).Training(globalBatch: 8, sequenceLength: 2048, flashAttention: true).Transformer!;
        foreach (var schedule in new[] { PipelineSchedule.GPipe, PipelineSchedule.OneFOneB, PipelineSchedule.Interleaved(2) })
        {
            var hw = hardware with { Parallelism = hardware.Parallelism with { Tp = 8, TpSp = true, Pp = 8, MicroBatches = 8, Schedule = schedule } };
            AssertSame(hw, model, schedule.ToString());
        }
    }

    private static void AssertSame(HardwareConfig hardware, TransformerConfig model, string? what = null)
    {
        var device = new DeviceModels(hardware);
        var replayed = new TrainingEstimator(device).Estimate(model).Memory!;
        var flattened = new TrainingEstimator(device) { FlattenMemory = true }.Estimate(model).Memory!;
        Assert.That(replayed.Report.PeakGib, Is.EqualTo(flattened.Report.PeakGib), what);
        Assert.That(replayed.Simulations[0].Devices, Is.EqualTo(flattened.Simulations[0].Devices), what);
        Assert.That(replayed.PeakBreakdown, Is.EqualTo(flattened.PeakBreakdown), what);
    }
}
