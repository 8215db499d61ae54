namespace RapidLlm.Validation;

/// <summary>One published pair with both devices' predicted maximum-load throughput.</summary>
/// <param name="Pair">The published pair.</param>
/// <param name="H100">Prediction on the H100 preset.</param>
/// <param name="H200">Prediction on the H200 preset.</param>
public sealed record MaxLoadPairResult(MaxLoadPair Pair, MaxLoadThroughput H100, MaxLoadThroughput H200)
{
    /// <summary>Predicted H200 / H100 system throughput ratio.</summary>
    public double PredictedRatio => H200.TokensPerSecond / H100.TokensPerSecond;

    /// <summary>Signed percent error of the predicted ratio against the published one.</summary>
    public double SignedErrorPercent => ErrorStatistics.SignedPercent(PredictedRatio, Pair.PublishedRatio);
}
