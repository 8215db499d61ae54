using RapidLlm.Configuration;

namespace RapidLlm.Hardware;

/// <summary>
/// The calibrated model's energy: every GPU draws its idle power for the whole phase, and the work adds dynamic energy
/// per FLOP, per HBM byte and per link byte; a GPU cannot draw more than its TDP on average, so the total is capped at
/// GPUs × TDP × time. The average power of a busy GPU therefore lies between its idle floor and its TDP, and spreading
/// the same work over more GPUs never costs less energy than their idle draw.
/// </summary>
/// <param name="IdleWatts">Power of one idle GPU.</param>
/// <param name="TdpWatts">Board power limit of one GPU.</param>
/// <param name="JoulesPerFlop">Dynamic energy of one tensor FLOP.</param>
/// <param name="JoulesPerHbmByte">Dynamic energy of one HBM byte (DRAM access and on-chip movement).</param>
/// <param name="JoulesPerLinkByte">Dynamic energy of one byte over a link.</param>
internal sealed record GpuPowerModel(double IdleWatts, double TdpWatts, double JoulesPerFlop, double JoulesPerHbmByte, double JoulesPerLinkByte)
{
    /// <summary>
    /// The power model of a calibrated hardware file: idle and TDP from <c>calibration.power</c>, per-FLOP energy from
    /// <c>tech_param.core.nominal_energy_per_flop</c>, per-byte HBM energy from <c>tech_param.DRAM.dynamic_energy_per_bit</c>
    /// and per-byte link energy from the first network dimension's <c>energy_per_bit</c>.
    /// </summary>
    /// <param name="hardware">The hardware file (calibrated model).</param>
    /// <returns>The model, or null for the reference model.</returns>
    public static GpuPowerModel? From(HardwareConfig hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        if (hardware.PerformanceModel.Calibration is not { } calibration) return null;
        var link = hardware.Network.Dimensions.Count > 0 ? hardware.Network.Dimensions[0].Topology.EnergyPerBitJoules : 0;
        var fp8 = hardware.Software.Precision.ActivationsBytes <= 1 ? calibration.Compute.Fp8Speedup : 1.0;
        return new GpuPowerModel(
            calibration.Power.IdleWatts, calibration.Power.TdpWatts,
            hardware.Technology.Core.NominalEnergyPerFlopJoules / fp8,
            hardware.Technology.Dram.DynamicEnergyPerBitJoules * 8,
            link * 8);
    }

    /// <summary>Energy of <paramref name="gpus"/> GPUs doing <paramref name="work"/> in <paramref name="seconds"/>.</summary>
    /// <param name="seconds">The phase's duration.</param>
    /// <param name="gpus">GPUs powered for it.</param>
    /// <param name="work">The work, summed over those GPUs.</param>
    /// <returns>Joules.</returns>
    public double Joules(double seconds, int gpus, DeviceWork work)
    {
        if (!(seconds > 0) || gpus < 1) return 0;
        var dynamic = work.Flops * JoulesPerFlop + work.HbmBytes * JoulesPerHbmByte + work.LinkBytes * JoulesPerLinkByte;
        return Math.Min(gpus * TdpWatts * seconds, gpus * IdleWatts * seconds + Math.Max(0, dynamic));
    }
}
