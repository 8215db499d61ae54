namespace RapidLlm.Inference;

/// <summary>
/// Tokens per second over all sequences of all replicas: per-sequence rate × sequences per replica × replicas.
/// Replicas are independent copies of the modelled deployment; they multiply throughput and change no time.
/// </summary>
/// <param name="BatchSize">Sequences decoded together by one replica.</param>
/// <param name="ReplicaCount">Independent replicas.</param>
/// <param name="StartTokensPerSecond">At step 0.</param>
/// <param name="MidpointTokensPerSecond">At the midpoint step.</param>
/// <param name="EndTokensPerSecond">At the last step.</param>
/// <param name="OverallTokensPerSecond">Averaged over the whole decode.</param>
internal sealed record AggregateDecodeThroughput(
    int BatchSize,
    int ReplicaCount,
    double StartTokensPerSecond,
    double MidpointTokensPerSecond,
    double EndTokensPerSecond,
    double OverallTokensPerSecond)
{
    /// <summary>Scales per-sequence rates (multiplied in the reference's order: rate × batch × replicas).</summary>
    /// <param name="rates">Per-sequence rates.</param>
    /// <param name="batchSize">Sequences per replica.</param>
    /// <param name="replicaCount">Replicas.</param>
    /// <returns>The aggregate throughput.</returns>
    public static AggregateDecodeThroughput From(DecodeRates rates, int batchSize, int replicaCount)
    {
        ArgumentNullException.ThrowIfNull(rates);
        double Scale(double rate) => rate * batchSize * replicaCount;
        return new AggregateDecodeThroughput(
            batchSize,
            replicaCount,
            Scale(rates.StartTokensPerSecond),
            Scale(rates.MidpointTokensPerSecond),
            Scale(rates.EndTokensPerSecond),
            Scale(rates.OverallTokensPerSecond));
    }
}
