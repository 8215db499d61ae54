using RapidLlm.Configuration;
using RapidLlm.Memory;
using RapidLlm.Simulation;
using RapidLlm.Tests.Simulation;

namespace RapidLlm.Tests.Memory;

/// <summary>
/// Activations held per stage under each schedule, read from the memory simulation of the per-rank graph: a
/// Llama-2-7B cut to 8 layers on 4 stages (2 per stage), tp 1, one sequence per micro-batch, selective recompute (every
/// forward op's output kept until its backward). A1[s] is one micro-batch's activations on stage s (GPipe with m = 1):
/// the same on the middle stages, plus the embedding's output on stage 0 and the logits on the last stage.
/// </summary>
public class ScheduleMemoryTests
{
    private const int Stages = 4;

    private static MemoryEstimate Memory(PipelineSchedule schedule, int microBatches)
    {
        var architecture = ModelPresets.Llama2_7B with { NumLayers = 8 };
        return LlmSimulation.Create()
            .Hardware(HardwarePresets.A100Sxm80GB)
            .Model(architecture.Training(globalBatch: microBatches, sequenceLength: 2048, flashAttention: true))
            .Parallelism(p => p.Pipeline(Stages, microBatches, schedule))
            .Software(s => s.FullRecomputation(false))
            .Build()
            .EstimateMemory();
    }

    private static double[] StageActivations(MemoryEstimate memory) =>
        [.. memory.Simulations[0].Devices.Take(Stages).Select(d => d.AtPeak.ActivationBytes)];

    private static double[] OneMicroBatch => StageActivations(Memory(PipelineSchedule.GPipe, 1));

    [Test]
    public void GPipeHoldsEveryMicroBatch()
    {
        var a1 = OneMicroBatch;
        Assert.That(a1, Has.All.GreaterThan(0));
        Assert.That(StageActivations(Memory(PipelineSchedule.GPipe, 8)), Is.EqualTo(a1.Select(a => 8 * a)).Within(1e-9).Percent);
    }

    [Test]
    public void OneFOneBHoldsPMinusSMicroBatchesOnStageS()
    {
        var a1 = OneMicroBatch;
        // Stage s runs p − s − 1 warm-up forwards and one more before its first backward: 4, 3, 2, 1 in flight.
        Assert.That(StageActivations(Memory(PipelineSchedule.OneFOneB, 8)), Is.EqualTo(new[] { 4 * a1[0], 3 * a1[1], 2 * a1[2], 1 * a1[3] }).Within(1e-9).Percent);
    }

    [Test]
    public void InterleavedHoldsMegatronsExtraChunks()
    {
        var a1 = OneMicroBatch;
        var held = StageActivations(Memory(PipelineSchedule.Interleaved(2), 8));
        // v = 2: a chunk is one of the stage's two layers. Stage s holds 2(p − s − 1) + (v − 1)p + 1 chunk-passes at its
        // first backward: 9 on stage 1 and 7 on stage 2, each half of A1 there; 11 and 5 on the outer stages, whose
        // chunks differ (embedding output, logits).
        Assert.Multiple(() =>
        {
            Assert.That(held[1], Is.EqualTo(9 * a1[1] / 2).Within(1e-9).Percent);
            Assert.That(held[2], Is.EqualTo(7 * a1[2] / 2).Within(1e-9).Percent);
            Assert.That(held[0], Is.GreaterThan(4 * a1[0]), "more than 1F1B's p micro-batches on stage 0");
        });
    }

    [Test]
    public void OneFOneBPeakDoesNotDependOnTheMicroBatchCountBeyondP()
    {
        var counts = new[] { 4, 8, 16 };
        var oneFOneB = counts.Select(m => Memory(PipelineSchedule.OneFOneB, m)).ToList();
        var gpipe = counts.Select(m => Memory(PipelineSchedule.GPipe, m)).ToList();
        var a1 = OneMicroBatch;
        Assert.Multiple(() =>
        {
            Assert.That(oneFOneB.Select(e => e.Report.PeakGib), Has.All.EqualTo(oneFOneB[0].Report.PeakGib).Within(1e-9).Percent);
            // GPipe's last stage holds m micro-batches of activations.
            Assert.That(gpipe.Select(e => StageActivations(e)[3]), Is.EqualTo(counts.Select(m => m * a1[3])).Within(1e-9).Percent);
            Assert.That(gpipe[2].Report.PeakGib, Is.GreaterThan(gpipe[1].Report.PeakGib));
        });
    }
}
