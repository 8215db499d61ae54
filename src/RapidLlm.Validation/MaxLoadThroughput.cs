namespace RapidLlm.Validation;

/// <summary>One device's predicted throughput at maximum load: the largest batch that fits and what it delivers.</summary>
/// <param name="Batch">Largest batch per replica whose inference memory peak fits the device (capped by the search).</param>
/// <param name="Replicas">Replicas in the system (GPUs / TP).</param>
/// <param name="RequestSeconds">Predicted prefill + decode seconds of one batch.</param>
/// <param name="PeakGib">Predicted per-GPU memory peak at <paramref name="Batch"/>, GiB.</param>
/// <param name="CapacityGib">Per-GPU memory capacity, GiB.</param>
/// <param name="OutputTokens">Generated tokens per request.</param>
public sealed record MaxLoadThroughput(int Batch, int Replicas, double RequestSeconds, double PeakGib, double CapacityGib, int OutputTokens)
{
    /// <summary>System output tokens per second: replicas × batch × output tokens / request seconds.</summary>
    public double TokensPerSecond => (double)Replicas * Batch * OutputTokens / RequestSeconds;
}
