namespace RapidLlm.Validation;

/// <summary>The quantity a validation point compares with a measurement.</summary>
public enum ValidationMetric
{
    /// <summary>Aggregate decode throughput in tokens per second: generated tokens × batch / decode time.</summary>
    DecodeTokensPerSecond,

    /// <summary>End-to-end seconds of one inference request (prefill + decode).</summary>
    RequestSeconds,

    /// <summary>Seconds to the first generated token.</summary>
    TimeToFirstTokenSeconds,

    /// <summary>Mean seconds between generated tokens after the first: (request − first token) / (tokens − 1).</summary>
    InterTokenLatencySeconds,

    /// <summary>Seconds of one training step (one global batch).</summary>
    TrainingStepSeconds,

    /// <summary>
    /// Dimensionless ratio of two predicted throughputs (for example H200 over H100 at maximum load). Computed by
    /// <see cref="MaxLoadRatioSuite"/>, which searches a batch per device; <see cref="ValidationRunner"/> cannot predict it.
    /// </summary>
    ThroughputRatio,
}
