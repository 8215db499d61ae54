using RapidLlm.Configuration;
using RapidLlm.Results;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Simulation;

/// <summary>
/// One pipeline stage with several micro-batches is gradient accumulation inside a step: the replica's batch is split
/// into the micro-batches, which run one after another, so the step does the work of one pass over the batch.
/// </summary>
public class SingleStageMicroBatchTests
{
    private static TrainingEstimate Estimate(HardwareConfig hardware, int microBatches) => LlmSimulation.Create()
        .Hardware(hardware)
        .Model((ModelPresets.Llama2_7B with { NumLayers = 8 }).Training(globalBatch: 32, sequenceLength: 2048))
        .Parallelism(p => p.Tensor(2, sequenceParallel: true).Pipeline(1, microBatches).Data(2))
        .Software(s => s.FullRecomputation())
        .Build().EstimateTraining();

    [TestCase(2)]
    [TestCase(4)]
    [TestCase(16)]
    public void Splitting_the_batch_keeps_the_work_of_one_pass(int microBatches)
    {
        foreach (var hardware in new[] { HardwarePresets.ReferenceA100Sxm80GB, HardwarePresets.H100Sxm80GB })
        {
            var whole = Estimate(hardware, 1);
            var split = Estimate(hardware, microBatches);
            Assert.Multiple(() =>
            {
                Assert.That(split.EffectiveBatch, Is.EqualTo(16 / microBatches), "sequences per micro-batch: 16 per replica / mb");
                // One pass over the batch: smaller GEMMs tile differently and add kernels (down to one sequence per
                // micro-batch here), so the time moves a little either way, never by a second pass.
                Assert.That(split.TimePerBatchSeconds, Is.EqualTo(whole.TimePerBatchSeconds).Within(25).Percent);
                Assert.That(split.Memory!.Report.PeakBytes, Is.LessThanOrEqualTo(whole.Memory!.Report.PeakBytes));
                if (hardware.PerformanceModelKind == PerformanceModelKind.Calibrated)
                    Assert.That(split.Energy!.TotalJoules, Is.EqualTo(whole.Energy!.TotalJoules).Within(15).Percent, "the same tokens, the same energy");
            });
        }
    }
}
