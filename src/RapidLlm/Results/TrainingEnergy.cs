namespace RapidLlm.Results;

/// <summary>
/// Energy of one training step under the calibrated model: every GPU's idle power over the step plus the dynamic
/// energy of the step's work, each GPU's average capped at its TDP.
/// </summary>
/// <param name="TotalJoules">Energy of the step, all GPUs together.</param>
/// <param name="AveragePowerWattsPerGpu">Total energy / (GPUs × step time).</param>
/// <param name="Flops">Tensor FLOPs of the step, all GPUs together.</param>
/// <param name="HbmBytes">HBM bytes of the step, all GPUs together.</param>
/// <param name="LinkBytes">Link bytes of the step, all GPUs together.</param>
public sealed record TrainingEnergy(double TotalJoules, double AveragePowerWattsPerGpu, double Flops, double HbmBytes, double LinkBytes);
