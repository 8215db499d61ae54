using RapidLlm.Common;
using RapidLlm.Compute;
using RapidLlm.Configuration;
using RapidLlm.Hardware;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>
/// Builds <see cref="OperationCostModels"/> for the calibrated performance model: the calibrated GEMM, roofline and
/// collectives behind the same interfaces the reference's models implement, a per-kernel fixed cost for the launch
/// mode, and the calibrated operator formulas (FlashAttention, LM head, optimizer).
/// </summary>
internal static class CalibratedCostModels
{
    /// <summary>Builds the models for one launch mode.</summary>
    /// <param name="hardware">The device.</param>
    /// <param name="calibration">The calibrated parameters.</param>
    /// <param name="activationBytes">Bytes per activation element (one byte selects the FP8 tensor rate).</param>
    /// <param name="kernelSeconds">Fixed cost of each kernel in this launch mode.</param>
    /// <returns>The models the operation costs use.</returns>
    public static OperationCostModels Create(HardwareModel hardware, CalibrationConfig calibration, double activationBytes, double kernelSeconds)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(calibration);
        var gemm = new CalibratedGemmModel(hardware, calibration, activationBytes);
        var roofline = new CalibratedRoofline(hardware, calibration);
        var collectives = new CalibratedCollectives(calibration.Collectives.LatencySeconds, calibration.Collectives.LinkEfficiency);
        return new OperationCostModels(
            new GemmCosts(gemm, kernelSeconds, hardware.MemoryLevels.Count, calibration.Attention.FlashForwardEfficiency),
            new RooflineCosts(roofline),
            new CollectiveCosts(collectives),
            hardware.MemoryLevels.Count,
            hardware.Core.NumBundles)
        {
            KernelOverheadSeconds = kernelSeconds,
            Calibrated = new CalibratedOperators(gemm, roofline, calibration.Attention),
        };
    }

    /// <summary>The calibrated collectives behind the layer model's interface.</summary>
    /// <param name="collectives">The collective model.</param>
    /// <returns>The adapter.</returns>
    public static ICollectiveCostModel Collectives(CalibratedCollectives collectives) => new CollectiveCosts(collectives);

    private sealed class GemmCosts(CalibratedGemmModel model, double kernelSeconds, int levelCount, double flashEfficiency) : IGemmCostModel
    {
        // Without the overhead a GEMM is one product of a batched kernel (attention heads); with it, a kernel of its own.
        public GemmCost Estimate(long m, long k, long n, bool includeKernelOverhead)
        {
            var time = includeKernelOverhead ? kernelSeconds + model.KernelSeconds(m, k, n) : model.BatchedProductSeconds(m, k, n);
            var levels = new double[levelCount];
            levels[^1] = model.DramBytes(m, k, n);
            return new GemmCost(time, levels);
        }

        public double FlashTileSeconds(long m, long k, long n, double readBytesL2, double writeBytesL2) =>
            CalibratedGemmModel.Flops(m, k, n) / (model.PeakFlopsPerSecond * flashEfficiency);
    }

    private sealed class RooflineCosts(CalibratedRoofline roofline) : IRooflineModel
    {
        public double Seconds(double flops, double bytes, int memoryLevel) => roofline.LevelSeconds(flops, bytes, memoryLevel);
    }

    private sealed class CollectiveCosts(CalibratedCollectives collectives) : ICollectiveCostModel
    {
        public double Seconds(CollectiveKind kind, double sizeBytes, int participants, Link link) =>
            collectives.TimeSeconds(kind, sizeBytes, participants, link);
    }
}
