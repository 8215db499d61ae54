using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Hardware;
using RapidLlm.Network;

namespace RapidLlm.Tests.Calibrated;

/// <summary>
/// Stage-to-stage sends under sequence parallelism in the calibrated model: each tp rank sends its 1/tp shard of the
/// activation over its own link, so a send costs what one shard costs on the calibrated H100 preset's links.
/// </summary>
public class ShardedPipelineSendTests
{
    private static readonly HardwareConfig Hardware = HardwareConfig.FromYamlText(RapidLlm.Configuration.YamlOverlay.Merge(
        File.ReadAllText(GpuData.Preset("H100_SXM5_80GB.yaml")),
        "parallelism: {tp: 8, tp_sp: true, cp: 1, pp: 8, mb: 8, train: {dp: 1, ep: 1, tp_ep: true}, inference: {replica_count: 1, moe_dp: 1}}\n"), "h100.yaml");

    // One micro-batch's activation: 4096 tokens × 8192 × 2 bytes = 64 MiB, 8 MiB per rank.
    private const double ActivationBytes = 4096.0 * 8192 * 2;

    [Test]
    public void ASendUnderSequenceParallelismCostsOneShard()
    {
        var timer = new DeviceModels(Hardware).CommunicationTimer(NetworkResolution.Resolve(Hardware, RunType.Training));
        var sharded = new ShardedPipelineSendTimer(timer, 8);
        var whole = timer.CollectiveSeconds(CollectiveKind.PointToPoint, ActivationBytes, 2, ParallelismAxis.Pp);
        var shard = timer.CollectiveSeconds(CollectiveKind.PointToPoint, ActivationBytes / 8, 2, ParallelismAxis.Pp);
        Assert.Multiple(() =>
        {
            Assert.That(sharded.CollectiveSeconds(CollectiveKind.PointToPoint, ActivationBytes, 2, ParallelismAxis.Pp), Is.EqualTo(shard).Within(1e-15));
            Assert.That(shard, Is.LessThan(whole / 4), "a shard moves an eighth of the bytes; only the fixed latency is shared");
            // Tensor-parallel collectives are priced as before.
            Assert.That(sharded.CollectiveSeconds(CollectiveKind.AllReduce, ActivationBytes, 8, ParallelismAxis.Tp),
                Is.EqualTo(timer.CollectiveSeconds(CollectiveKind.AllReduce, ActivationBytes, 8, ParallelismAxis.Tp)));
        });
    }
}
