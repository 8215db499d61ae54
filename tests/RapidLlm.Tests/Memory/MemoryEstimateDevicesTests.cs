using RapidLlm.Simulation;

namespace RapidLlm.Tests.Memory;

/// <summary><see cref="RapidLlm.Memory.MemoryEstimate.Devices"/>: every device of the pass that peaks highest, by device id.</summary>
public class MemoryEstimateDevicesTests
{
    [Test]
    public void A_pipelined_training_step_lists_each_stage_and_the_fullest_is_the_reported_peak()
    {
        var memory = LlmSimulation.Create()
            .Hardware(HardwarePresets.H100Sxm80GB)
            .Model(ModelPresets.Llama3_1_8B.Training(globalBatch: 8, sequenceLength: 2048))
            .Parallelism(p => p.Pipeline(4, microBatches: 4))
            .Build().EstimateMemory();
        var devices = memory.Devices;
        Assert.Multiple(() =>
        {
            Assert.That(devices.Select(d => d.DeviceId), Is.EqualTo(Enumerable.Range(0, devices.Count)));
            Assert.That(devices, Has.Count.GreaterThanOrEqualTo(4), "one device per stage at least");
            Assert.That(devices.Max(d => d.PeakBytes), Is.EqualTo(memory.Report.PeakBytes).Within(1e-9).Percent);
            Assert.That(memory.PeakBreakdown, Is.EqualTo(devices.MaxBy(d => d.PeakBytes)!.AtPeak));
            Assert.That(devices.All(d => d.StaticBytes > 0 && d.PeakBytes >= d.StaticBytes));
        });
    }

    [Test]
    public void Inference_lists_the_devices_of_the_pass_with_the_higher_peak()
    {
        var memory = LlmSimulation.Create()
            .Hardware(HardwarePresets.H100Sxm80GB)
            .Model(ModelPresets.Llama3_1_8B.Inference(batch: 32, promptLength: 2048, decodeLength: 2048))
            .Parallelism(p => p.Tensor(2, sequenceParallel: true))
            .Build().EstimateMemory();
        var report = memory.Report;
        Assert.That(report.DecodePeakGib, Is.Not.EqualTo(report.PrefillPeakGib), "the case needs two different peaks");
        Assert.That(memory.Devices.Max(d => d.PeakGib), Is.EqualTo(Math.Max(report.PrefillPeakGib, report.DecodePeakGib)).Within(1e-9).Percent);
    }
}
