using RapidLlm.Configuration;

namespace RapidLlm.Inference;

/// <summary>
/// One request's times under a serving engine (<see cref="ServingEngineConfig"/>): with static batching the batch's
/// requests run together; with continuous batching these are the steady-state means of a request among
/// <see cref="Concurrency"/> always in flight.
/// </summary>
/// <param name="Engine">The engine's settings.</param>
/// <param name="Concurrency">Requests in flight (the model's batch per replica).</param>
/// <param name="TimeToFirstTokenSeconds">Request overhead, the prefill and its iteration's host work.</param>
/// <param name="InterTokenLatencySeconds">Mean time between two output tokens of one request (decode time / (output − 1)); 0 with one output token.</param>
/// <param name="RequestSeconds">Time to first token plus the decode phase.</param>
/// <param name="InterleavedPrefillSeconds">
/// Time of the decode phase spent on the prefills of other requests fused into its iterations (continuous batching; 0 static).
/// </param>
/// <param name="OutputTokensPerSecond">Output tokens per second of one replica: concurrency × output tokens / request time.</param>
public sealed record ServingEstimate(
    ServingEngineConfig Engine,
    int Concurrency,
    double TimeToFirstTokenSeconds,
    double InterTokenLatencySeconds,
    double RequestSeconds,
    double InterleavedPrefillSeconds,
    double OutputTokensPerSecond);
