using RapidLlm.Configuration;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Memory;

/// <summary>
/// The schedule replay of per-GPU memory against simulating the flattened per-rank graph, over a grid of ZeRO stage ×
/// tp × cp × pp × dp × micro-batches × recompute × schedule × MoE on small models (training), and of tp × cp × pp ×
/// micro-batches × MoE × vision for the prefill and final decode step (inference): every case takes the replay (no
/// fallback to flattening) and gives the flattened figures exactly, every device and component.
/// </summary>
public class MemoryReplayDifferentialTests
{
    private static readonly ModelConfig Dense = (ModelPresets.Llama2_7B with { NumLayers = 4 }).Training(globalBatch: 16, sequenceLength: 256);

    private static readonly ModelConfig Moe =
        (ModelPresets.Llama2_7B with { NumLayers = 4, Moe = new MoeConfig(4, 2, 2048, 0, 1.0, 1, 0) }).Training(globalBatch: 16, sequenceLength: 256);

    private static readonly ModelConfig Deep = (ModelPresets.Llama2_7B with { NumLayers = 8 }).Training(globalBatch: 16, sequenceLength: 256);

    private static readonly ModelConfig Uneven = (ModelPresets.Llama2_7B with { NumLayers = 3 }).Training(globalBatch: 16, sequenceLength: 256);

    private static IEnumerable<PipelineSchedule> SchedulesFor(int pp) =>
        pp == 1 ? [PipelineSchedule.GPipe] : [PipelineSchedule.GPipe, PipelineSchedule.OneFOneB, PipelineSchedule.Interleaved(2)];

    private static IEnumerable<TestCaseData> Zero3Grid()
    {
        // ZeRO-3 over more than one rank per stage changes which operations run: the whole grid.
        foreach (var (tp, cp) in new[] { (1, 1), (2, 1), (4, 1), (1, 2), (2, 2) })
        foreach (var pp in new[] { 1, 2 })
        foreach (var schedule in SchedulesFor(pp))
        foreach (var mb in new[] { 1, 2, 4 })
        foreach (var recompute in new[] { false, true })
        {
            // Interleaving needs a multiple of the stages in micro-batches.
            if (mb % pp != 0 && schedule.ChunksPerStage > 1) continue;
            yield return Case(Dense, zero: 3, tp, cp, pp, dp: 2, mb, recompute, schedule);
        }

        foreach (var schedule in SchedulesFor(4))
        foreach (var recompute in new[] { false, true })
        {
            yield return Case(Deep, zero: 3, tp: 2, cp: 1, pp: 4, dp: 2, mb: 4, recompute, schedule);
            yield return Case(Dense, zero: 3, tp: 2, cp: 2, pp: 2, dp: 4, mb: 4, recompute, schedule);
        }

        yield return Case(Uneven, zero: 3, tp: 2, cp: 1, pp: 2, dp: 2, mb: 2, recompute: false, PipelineSchedule.GPipe);
        yield return Case(Uneven, zero: 3, tp: 2, cp: 1, pp: 2, dp: 2, mb: 4, recompute: true, PipelineSchedule.OneFOneB);
    }

    private static IEnumerable<TestCaseData> OtherStagesGrid()
    {
        foreach (var zero in new[] { 0, 1, 2 })
        foreach (var (tp, cp) in new[] { (1, 1), (2, 1), (2, 2) })
        foreach (var pp in new[] { 1, 2 })
        foreach (var schedule in SchedulesFor(pp))
        foreach (var mb in new[] { 2, 4 })
        {
            yield return Case(Dense, zero, tp, cp, pp, dp: zero == 0 ? 1 : 2, mb, recompute: mb == 4, schedule);
        }

        // Mixture of experts (ZeRO-0 and 1 only): expert-parallel ranks sit beside tp in each stage.
        foreach (var zero in new[] { 0, 1 })
        foreach (var (tp, ep) in new[] { (1, 2), (2, 2) })
        foreach (var pp in new[] { 1, 2 })
        foreach (var schedule in SchedulesFor(pp))
        foreach (var recompute in new[] { false, true })
        {
            yield return Case(Moe, zero, tp, cp: 1, pp, dp: 2, mb: 2, recompute, schedule, ep);
        }
    }

    private static TestCaseData Case(
        ModelConfig model, int zero, int tp, int cp, int pp, int dp, int mb, bool recompute, PipelineSchedule schedule, int ep = 1) =>
        new TestCaseData(model, zero, tp, cp, pp, dp, mb, recompute, schedule, ep)
            .SetName($"{(model.Transformer!.UsesMoe ? "MoE" : $"{model.Transformer.NumLayers} layers")} ZeRO-{zero} tp{tp} cp{cp} pp{pp} dp{dp}"
                + $"{(ep > 1 ? $" ep{ep}" : "")} mb{mb} {(recompute ? "full" : "selective")} {schedule}");

    [TestCaseSource(nameof(Zero3Grid))]
    [TestCaseSource(nameof(OtherStagesGrid))]
    public void The_replay_is_taken_and_equals_the_flattened_simulation(
        ModelConfig model, int zero, int tp, int cp, int pp, int dp, int mb, bool recompute, PipelineSchedule schedule, int ep)
    {
        var simulation = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(model)
            .Parallelism(p =>
            {
                p.Tensor(tp, sequenceParallel: tp > 1).Context(cp).Pipeline(pp, mb, schedule).Data(dp);
                if (ep > 1) p.Expert(ep);
            })
            .Software(s => s.ZeroStage(zero).FullRecomputation(recompute))
            .Build();

        var device = new DeviceModels(simulation.Hardware);
        var transformer = simulation.Model.Transformer!;
        var replayed = new TrainingEstimator(device).Estimate(transformer).Memory!;
        var flattened = new TrainingEstimator(device) { FlattenMemory = true }.Estimate(transformer).Memory!;
        Assert.Multiple(() =>
        {
            // The replay's result carries no event times; a fallback to flattening would.
            Assert.That(replayed.Simulations[0].FinishTimesSeconds, Is.Empty, "the replay was not taken");
            Assert.That(flattened.Simulations[0].FinishTimesSeconds, Is.Not.Empty);
            Assert.That(replayed.Report.PeakGib, Is.EqualTo(flattened.Report.PeakGib));
            Assert.That(replayed.Simulations[0].Devices, Is.EqualTo(flattened.Simulations[0].Devices));
            Assert.That(replayed.PeakBreakdown, Is.EqualTo(flattened.PeakBreakdown));
            Assert.That(replayed, Is.EqualTo(flattened), "value equality compares what a user reads, not event times");
            Assert.That(replayed.GetHashCode(), Is.EqualTo(flattened.GetHashCode()));
        });
    }

    private static IEnumerable<TestCaseData> InferenceGrid()
    {
        var dense = (ModelPresets.Llama2_7B with { NumLayers = 4 }).Inference(batch: 8, promptLength: 256, decodeLength: 16);
        var moe = (ModelPresets.Llama2_7B with { NumLayers = 4, Moe = new MoeConfig(4, 2, 2048, 0, 1.0, 1, 0) }).Inference(batch: 8, promptLength: 256, decodeLength: 16);
        foreach (var (tp, cp) in new[] { (1, 1), (2, 1), (4, 1), (1, 2), (2, 2) })
        foreach (var pp in new[] { 1, 2, 4 })
        foreach (var mb in new[] { 1, 2, 4 })
        {
            yield return InferenceCase(dense, "dense", tp, cp, pp, mb);
        }

        foreach (var (tp, moeDp) in new[] { (1, 2), (2, 1), (2, 2) })
        foreach (var pp in new[] { 1, 2 })
        {
            yield return InferenceCase(moe, "MoE", tp, cp: 1, pp, mb: 2, moeDp);
        }

        yield return InferenceCase(ModelPresets.VitBase16.Inference(batch: 8), "ViT-Base/16", tp: 2, cp: 1, pp: 2, mb: 2);
        yield return InferenceCase((ModelPresets.Llama2_7B with { NumLayers = 3 }).Inference(batch: 8, promptLength: 256, decodeLength: 0), "prefill only", 2, 1, 2, 2);
    }

    private static TestCaseData InferenceCase(ModelConfig model, string what, int tp, int cp, int pp, int mb, int moeDp = 1) =>
        new TestCaseData(model, tp, cp, pp, mb, moeDp)
            .SetName($"inference {what} tp{tp} cp{cp} pp{pp}{(moeDp > 1 ? $" moe_dp{moeDp}" : "")} mb{mb}");

    [TestCaseSource(nameof(InferenceGrid))]
    public void The_inference_replay_is_taken_and_equals_the_flattened_simulation(ModelConfig model, int tp, int cp, int pp, int mb, int moeDp)
    {
        var simulation = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(model)
            .Parallelism(p =>
            {
                p.Tensor(tp, sequenceParallel: tp > 1).Context(cp).Pipeline(pp, mb);
                if (moeDp > 1) p.ExpertData(moeDp);
            })
            .Build();

        var device = new DeviceModels(simulation.Hardware);
        var transformer = simulation.Model.Transformer!;
        var replayed = new LlmInferenceEstimator(device).EstimateMemory(transformer);
        var flattened = new LlmInferenceEstimator(device) { FlattenMemory = true }.EstimateMemory(transformer);
        Assert.Multiple(() =>
        {
            Assert.That(replayed.Simulations, Has.Count.EqualTo(flattened.Simulations.Count).And.Count.GreaterThan(0));
            Assert.That(replayed.Simulations.Select(s => s.FinishTimesSeconds.Count), Is.All.EqualTo(0), "the replay was not taken");
            Assert.That(replayed.Report, Is.EqualTo(flattened.Report));
            for (var i = 0; i < Math.Min(replayed.Simulations.Count, flattened.Simulations.Count); i++)
            {
                Assert.That(replayed.Simulations[i].Devices, Is.EqualTo(flattened.Simulations[i].Devices), $"pass {i}");
            }

            Assert.That(replayed.PeakBreakdown, Is.EqualTo(flattened.PeakBreakdown));
        });
    }
}
