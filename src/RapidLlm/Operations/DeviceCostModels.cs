using RapidLlm.Common;
using RapidLlm.Compute;
using RapidLlm.Hardware;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>Builds <see cref="OperationCostModels"/> from the compute library's device models.</summary>
internal static class DeviceCostModels
{
    /// <summary>Wraps a device's tiled GEMM model, roofline and analytical collectives.</summary>
    /// <param name="hardware">The device.</param>
    /// <param name="gemm">Its GEMM model (memoised; share it across estimates of the same device and precision).</param>
    /// <param name="collectives">Its analytical collectives (with the kernel overhead).</param>
    /// <returns>The models the operation costs use.</returns>
    public static OperationCostModels Create(HardwareModel hardware, TiledGemmModel gemm, AnalyticalCollectives collectives)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        return new OperationCostModels(
            new TiledGemmAdapter(gemm),
            new RooflineAdapter(new Roofline(hardware)),
            new CollectivesAdapter(collectives),
            hardware.MemoryLevels.Count,
            hardware.Core.NumBundles);
    }

    /// <summary>Builds all three models for a device, activation precision and kernel overhead.</summary>
    /// <param name="hardware">The device.</param>
    /// <param name="activationBytes">Bytes per activation element.</param>
    /// <param name="kernelOverheadSeconds">Kernel-launch overhead O.</param>
    /// <returns>The models.</returns>
    public static OperationCostModels Create(HardwareModel hardware, double activationBytes, double kernelOverheadSeconds) =>
        Create(hardware, new TiledGemmModel(hardware, activationBytes, kernelOverheadSeconds),
            new AnalyticalCollectives(hardware, kernelOverheadSeconds));

    private sealed class TiledGemmAdapter(TiledGemmModel model) : IGemmCostModel
    {
        public GemmCost Estimate(long m, long k, long n, bool includeKernelOverhead)
        {
            var e = model.Estimate(m, k, n, includeKernelOverhead ? GemmOptions.Default : GemmOptions.WithoutOverhead);
            var a = e.AccessBytes;
            return new GemmCost(e.TimeSeconds, new[] { a.L0Bytes, a.L1Bytes, a.L2Bytes, a.DramBytes });
        }

        public double FlashTileSeconds(long m, long k, long n, double readBytesL2, double writeBytesL2) =>
            model.TimeSeconds(m, k, n, GemmOptions.ForFlashAttention(readBytesL2, writeBytesL2));
    }

    private sealed class RooflineAdapter(Roofline roofline) : IRooflineModel
    {
        public double Seconds(double flops, double bytes, int memoryLevel) => roofline.TimeAtLevelSeconds(flops, bytes, memoryLevel);
    }

    private sealed class CollectivesAdapter(AnalyticalCollectives collectives) : ICollectiveCostModel
    {
        public double Seconds(CollectiveKind kind, double sizeBytes, int participants, Link link) =>
            collectives.TimeSeconds(kind, sizeBytes, participants, link);
    }
}
