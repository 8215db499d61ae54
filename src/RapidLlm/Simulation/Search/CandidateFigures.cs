using RapidLlm.Configuration;
using RapidLlm.Hardware;
using RapidLlm.Inference;
using RapidLlm.Operations;
using RapidLlm.Results;

namespace RapidLlm.Search;

/// <summary>The figures a search adds to an estimate: peak FLOP/s, MFU and the training step's dynamic energy.</summary>
internal static class CandidateFigures
{
    /// <summary>The device's peak dense FLOP/s: the core's rate per MCU × area scaling × clock × MCUs, without the utilisation factor.</summary>
    public static double PeakFlopsPerSecond(HardwareModel device, HardwareConfig hardware)
    {
        var util = hardware.Technology.Core.Util;
        return util > 0 ? device.Core.ThroughputFlopsPerSecond / util : device.Core.ThroughputFlopsPerSecond;
    }

    /// <summary>
    /// Dynamic energy of one training batch over all GPUs, priced as inference passes are (FLOPs, HBM bytes and
    /// communicated bytes of every layer at the device's rates): each micro-batch of each data-parallel (and expert)
    /// replica runs every layer forward and backward, and forward once more under full recomputation. Pipeline sends,
    /// gradient reductions and idle power are not counted.
    /// </summary>
    public static double TrainingJoules(TrainingEstimate estimate, TransformerConfig model, SearchPoint point, EnergyCoefficients coefficients)
    {
        var layer = estimate.Layer;
        var layerOps = layer.All().Where(op => op.Name is not ("embedding" or "linear_softmax")).ToList();
        var vocabularyOps = layer.All().Where(op => op.Name is "embedding" or "linear_softmax").ToList();
        var forward = PassInputs(layerOps, vocabularyOps, op => op.Forward);
        var backward = PassInputs(layerOps, vocabularyOps, op => op.Backward);
        var pass = PhaseEnergy.Joules(forward, model.NumLayers, 1, coefficients) + PhaseEnergy.Joules(backward, model.NumLayers, 1, coefficients);
        if (point.FullRecompute) pass += PhaseEnergy.Joules(forward, model.NumLayers, 1, coefficients);
        var replicas = (double)point.DataParallel * (model.UsesMoe ? point.ExpertParallel : 1);
        return pass * estimate.MicroBatches * estimate.GradientAccumulationSteps * replicas;
    }

    private static PhaseEnergyInputs PassInputs(List<OperationCost> layer, List<OperationCost> vocabulary, Func<OperationCost, DirectionCost?> direction)
    {
        var (lf, ld, lc) = Sum(layer, direction);
        var (vf, vd, vc) = Sum(vocabulary, direction);
        return new PhaseEnergyInputs(lf, ld, lc, vf, vd, vc, 0);
    }

    private static (double Flops, double DramBytes, double CommBytes) Sum(List<OperationCost> ops, Func<OperationCost, DirectionCost?> direction)
    {
        double flops = 0, dram = 0, comm = 0;
        foreach (var op in ops)
        {
            if (direction(op) is not { } cost) continue;
            flops += cost.Flops;
            dram += cost.MemoryAccesses.DramBytes;
            comm += cost.CommBytes;
        }

        return (flops, dram, comm);
    }
}
