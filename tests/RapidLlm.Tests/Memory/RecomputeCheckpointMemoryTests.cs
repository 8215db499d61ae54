using RapidLlm.Configuration;
using RapidLlm.Memory;
using RapidLlm.Simulation;
using RapidLlm.Tests.Simulation;

namespace RapidLlm.Tests.Memory;

/// <summary>
/// Full activation recomputation in the calibrated model: each in-flight micro-batch keeps its layers' inputs until
/// their backward (Megatron-LM's checkpoints), so the peak follows the schedule. Llama-3.1-70B on the shipped H100 preset
/// (configs/hardware-config/H100_SXM5_80GB.yaml), tp 8 with sequence parallelism, pp 8 (10 layers per stage), one
/// 4096-token sequence per micro-batch. One checkpoint is 4096 tokens × 8192 × 2 bytes / 8 ranks = 8 MiB; a stage's ten
/// layers keep 80 MiB per micro-batch in flight.
/// </summary>
public class RecomputeCheckpointMemoryTests
{
    private const double CheckpointBytes = 4096.0 * 8192 * 2 / 8;
    private const double StageBytesPerMicroBatch = 10 * CheckpointBytes;

    private static readonly HardwareConfig CalibratedH100 = HardwareConfig.FromYamlText(
        File.ReadAllText(ConfigFiles.Hardware("H100_SXM5_80GB.yaml")), "H100_SXM5_80GB.yaml");

    // Each run simulates 64 ranks' graphs (a few seconds): every configuration is estimated once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(bool, PipelineSchedule, int), Lazy<MemoryEstimate>> Runs = new();

    private static MemoryEstimate Memory(HardwareConfig hardware, PipelineSchedule schedule, int microBatches) =>
        Runs.GetOrAdd((hardware.PerformanceModel.IsCalibrated, schedule, microBatches), _ => new Lazy<MemoryEstimate>(() => Run(hardware, schedule, microBatches))).Value;

    private static MemoryEstimate Run(HardwareConfig hardware, PipelineSchedule schedule, int microBatches) => LlmSimulation.Create()
        .Hardware(hardware)
        .Model(ModelPresets.Llama3_1_70B.Training(globalBatch: microBatches, sequenceLength: 4096, flashAttention: true))
        .Parallelism(p => p.Tensor(8, sequenceParallel: true).Pipeline(8, microBatches, schedule))
        .Software(s => s.FullRecomputation())
        .Build()
        .EstimateMemory();

    // Stage 0, tp rank 0.
    private static double FirstStagePeak(MemoryEstimate memory) => memory.Simulations[0].Devices[0].PeakBytes;

    [Test]
    public void OneCheckpointIsTheLayerInputShardedOverTp() =>
        Assert.That(Memory(CalibratedH100, PipelineSchedule.GPipe, 16).Data[0].CheckpointBytesPerLayer, Is.EqualTo(8_388_608).Within(1e-9));

    [Test]
    public void GPipeKeepsEveryMicroBatchsCheckpoints()
    {
        // 16 more micro-batches in flight on stage 0: 16 × 80 MiB = 1280 MiB more.
        var growth = FirstStagePeak(Memory(CalibratedH100, PipelineSchedule.GPipe, 32)) - FirstStagePeak(Memory(CalibratedH100, PipelineSchedule.GPipe, 16));
        Assert.That(growth, Is.EqualTo(1_342_177_280).Within(1e-6).Percent);
        Assert.That(growth, Is.EqualTo(16 * StageBytesPerMicroBatch).Within(1e-6).Percent);
    }

    [Test]
    public void OneFOneBKeepsAtMostPMicroBatchesCheckpoints()
    {
        var sixteen = FirstStagePeak(Memory(CalibratedH100, PipelineSchedule.OneFOneB, 16));
        var gpipe = FirstStagePeak(Memory(CalibratedH100, PipelineSchedule.GPipe, 16));
        Assert.Multiple(() =>
        {
            Assert.That(FirstStagePeak(Memory(CalibratedH100, PipelineSchedule.OneFOneB, 32)), Is.EqualTo(sixteen).Within(1e-9).Percent);
            // GPipe holds 16 on stage 0, 1F1B p = 8: 8 × 80 MiB = 640 MiB apart.
            Assert.That(gpipe - sixteen, Is.EqualTo(671_088_640).Within(1e-6).Percent);
        });
    }

    [Test]
    public void TheReferenceModelKeepsNoCheckpoint()
    {
        var reference = CalibratedH100 with { PerformanceModel = PerformanceModelConfig.Reference };
        var sixteen = Memory(reference, PipelineSchedule.GPipe, 16);
        var calibrated = Memory(CalibratedH100, PipelineSchedule.GPipe, 16);
        Assert.Multiple(() =>
        {
            Assert.That(sixteen.Data[0].CheckpointBytesPerLayer, Is.Zero);
            // The reference's full-recompute peak holds no activation between passes: the calibrated stage 0 holds 16
            // micro-batches' checkpoints more (its weights, gradients and optimizer states are the same bytes).
            Assert.That(FirstStagePeak(calibrated) - FirstStagePeak(sixteen), Is.EqualTo(16 * StageBytesPerMicroBatch).Within(1e-6).Percent);
        });
    }
}
