namespace RapidLlm.Inference;

/// <summary>What an op library reports for one simulated pass (the prefill, or one decode step).</summary>
/// <param name="TimeSeconds">Simulated makespan of the pass.</param>
/// <param name="Energy">Operator sums the energy model turns into joules.</param>
internal sealed record PhaseCost(double TimeSeconds, PhaseEnergyInputs Energy)
{
    /// <summary>
    /// The phase's work summed over the replica's GPUs, for the calibrated energy model (<see cref="InferenceSettings.Power"/>);
    /// null prices <see cref="Energy"/> with the reference's per-FLOP and per-bit constants.
    /// </summary>
    public Hardware.DeviceWork? Work { get; init; }
}
