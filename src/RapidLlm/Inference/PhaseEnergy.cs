namespace RapidLlm.Inference;

/// <summary>Turns a pass's operator sums into joules: FLOPs, HBM bytes and network bytes, each at its own rate.</summary>
internal static class PhaseEnergy
{
    /// <summary>Energy of one pass.</summary>
    /// <param name="inputs">The pass's operator sums.</param>
    /// <param name="layerCount">Transformer layers in the model.</param>
    /// <param name="pipelineStages">Pipeline stages; each boundary moves <see cref="PhaseEnergyInputs.CrossStageBytes"/>.</param>
    /// <param name="coefficients">Hardware energy constants.</param>
    /// <param name="accounting">Which layer count applies to compute and HBM traffic.</param>
    /// <returns>Joules.</returns>
    public static double Joules(
        PhaseEnergyInputs inputs,
        int layerCount,
        int pipelineStages,
        EnergyCoefficients coefficients,
        EnergyAccounting accounting = EnergyAccounting.AllLayers)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(coefficients);
        ArgumentOutOfRangeException.ThrowIfLessThan(layerCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pipelineStages, 1);

        double flops, dramBytes, commBytes;
        var crossStage = (pipelineStages - 1) * inputs.CrossStageBytes;
        if (accounting == EnergyAccounting.ReferenceSingleLayer)
        {
            flops = inputs.LayerFlops + inputs.VocabularyFlops;
            dramBytes = inputs.LayerDramBytes + inputs.VocabularyDramBytes;
            commBytes = layerCount * (inputs.LayerCommBytes + inputs.VocabularyCommBytes) + crossStage;
        }
        else
        {
            flops = layerCount * inputs.LayerFlops + inputs.VocabularyFlops;
            dramBytes = layerCount * inputs.LayerDramBytes + inputs.VocabularyDramBytes;
            commBytes = layerCount * inputs.LayerCommBytes + inputs.VocabularyCommBytes + crossStage;
        }

        // Per-byte rates are per-bit constants × 8, multiplied in that order as the reference does.
        var dramJoulesPerByte = coefficients.DramJoulesPerBit * 8;
        var networkJoulesPerByte = coefficients.NetworkJoulesPerBit * 8;
        return flops * coefficients.JoulesPerFlop + dramBytes * dramJoulesPerByte + commBytes * networkJoulesPerByte;
    }
}
