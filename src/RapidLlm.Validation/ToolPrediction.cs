namespace RapidLlm.Validation;

/// <summary>Another simulator's prediction for the same point, as published with the measurements.</summary>
/// <param name="Tool">The simulator's name (for example LLMCompass, Vidur, GenZ).</param>
/// <param name="Predicted">Its prediction, in the point's metric unit.</param>
public sealed record ToolPrediction(string Tool, double Predicted)
{
    /// <summary>Signed percent error of this prediction against <paramref name="measured"/>.</summary>
    /// <param name="measured">The measurement.</param>
    public double SignedErrorPercent(double measured) => ErrorStatistics.SignedPercent(Predicted, measured);
}
