namespace RapidLlm.Inference;

/// <summary>
/// The arithmetic of a serving engine over bare step costs. Pure functions.
/// </summary>
/// <remarks>
/// Continuous batching in closed loop: C requests are always in flight, each needing a prefill and O − 1 decode steps.
/// While a request decodes, the other C − 1 requests' prefills are fused into the running iterations; a fused prefill
/// costs its prefill less what it shares with the decode iteration it joins (one pass over the weights, the kernels'
/// fixed costs, the collectives' latencies: a batch-1 decode step). With the requests spread evenly over their
/// lifetimes, a given request's decode phase D (of a request lasting E = TTFT + D) sees each other request's prefill
/// with probability D / E, so D = base + (C − 1) · prefill · D / E, where base is the O − 1 decode steps at batch C.
/// That is a quadratic in D with one positive root.
/// </remarks>
internal static class ServingEngineTiming
{
    /// <summary>The decode steps a request of <paramref name="outputTokens"/> tokens runs under an engine (the prefill emits the first).</summary>
    /// <param name="outputTokens">Output tokens per request.</param>
    public static int DecodeSteps(int outputTokens) => Math.Max(0, outputTokens - 1);

    /// <summary>The marginal cost of a prefill fused into a running decode iteration.</summary>
    /// <param name="prefillSeconds">One request's prefill on its own.</param>
    /// <param name="sharedIterationSeconds">What a fused prefill shares with the iteration it joins (a batch-1 decode step).</param>
    /// <returns>Seconds, never negative.</returns>
    public static double FusedPrefillSeconds(double prefillSeconds, double sharedIterationSeconds) =>
        Math.Max(0, prefillSeconds - Math.Max(0, sharedIterationSeconds));

    /// <summary>
    /// The decode phase of one request under continuous batching: the positive root of
    /// D² + (T − base − k)·D − base·T = 0, with k = (C − 1) × the fused prefill cost.
    /// </summary>
    /// <param name="timeToFirstTokenSeconds">T, the request's time to first token.</param>
    /// <param name="baseDecodeSeconds">base, its O − 1 decode steps at the batch of C requests.</param>
    /// <param name="concurrency">C, requests in flight.</param>
    /// <param name="fusedPrefillSeconds">The marginal cost of one other request's prefill.</param>
    /// <returns>Seconds.</returns>
    public static double ContinuousDecodeSeconds(double timeToFirstTokenSeconds, double baseDecodeSeconds, int concurrency, double fusedPrefillSeconds)
    {
        if (baseDecodeSeconds <= 0) return 0;
        var interleaved = Math.Max(0, concurrency - 1) * Math.Max(0, fusedPrefillSeconds);
        if (interleaved == 0) return baseDecodeSeconds;
        var t = Math.Max(0, timeToFirstTokenSeconds);
        var b = t - baseDecodeSeconds - interleaved;
        return (-b + Math.Sqrt((b * b) + (4 * baseDecodeSeconds * t))) / 2;
    }
}
