using RapidLlm.Hardware;

namespace RapidLlm.Inference;

/// <summary>Hardware energy constants used by the inference energy model.</summary>
/// <param name="JoulesPerFlop">Core energy per floating-point operation (<c>core.nominal_energy_per_flop</c>).</param>
/// <param name="DramJoulesPerBit">DRAM dynamic energy per bit (<c>DRAM.dynamic_energy_per_bit</c>).</param>
/// <param name="NetworkJoulesPerBit">
/// Link energy per bit. The reference charges every communicated byte at network dimension 0's rate.
/// </param>
internal sealed record EnergyCoefficients(double JoulesPerFlop, double DramJoulesPerBit, double NetworkJoulesPerBit)
{
    /// <summary>Takes the core and DRAM constants from a device model and the link constant from the caller.</summary>
    /// <param name="hardware">The device model.</param>
    /// <param name="networkJoulesPerBit">Energy per bit of network dimension 0 (0 when there is no network).</param>
    /// <returns>The coefficients.</returns>
    public static EnergyCoefficients From(HardwareModel hardware, double networkJoulesPerBit)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        return new EnergyCoefficients(hardware.Core.EnergyPerFlopJoules, hardware.Dram.DynamicEnergyPerBitJoules, networkJoulesPerBit);
    }
}
