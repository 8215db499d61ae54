namespace RapidLlm.Inference;

/// <summary>Per-sequence decode rates (tokens per second for one sequence), from interpolated step times.</summary>
/// <param name="StartTokensPerSecond">1 / time of step 0.</param>
/// <param name="MidpointTokensPerSecond">1 / time of step <paramref name="MidpointStep"/>.</param>
/// <param name="EndTokensPerSecond">1 / time of the last step.</param>
/// <param name="MidpointStep">decode length // 2.</param>
/// <param name="OverallTokensPerSecond">Decode length / total decode time.</param>
internal sealed record DecodeRates(
    double StartTokensPerSecond,
    double MidpointTokensPerSecond,
    double EndTokensPerSecond,
    int MidpointStep,
    double OverallTokensPerSecond)
{
    /// <summary>Rates at steps 0, decode length // 2 and decode length − 1; null when nothing is decoded.</summary>
    /// <param name="samples">Samples in step order.</param>
    /// <param name="decodeLength">Tokens generated.</param>
    /// <param name="decodeSeconds">Integrated decode time.</param>
    /// <returns>The rates, or null for a prefill-only run.</returns>
    public static DecodeRates? From(IReadOnlyList<DecodeSample> samples, int decodeLength, double decodeSeconds)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (decodeLength <= 0 || samples.Count == 0) return null;
        var lastStep = Math.Max(decodeLength - 1, 0);
        var midpointStep = decodeLength / 2;
        var overall = decodeSeconds > 0.0 ? decodeLength / decodeSeconds : 0.0;
        return new DecodeRates(
            RateOf(StepTimeAt(samples, 0)),
            RateOf(StepTimeAt(samples, midpointStep)),
            RateOf(StepTimeAt(samples, lastStep)),
            midpointStep,
            overall);
    }

    /// <summary>Step time at any step: linear between the neighbouring samples, clamped outside them.</summary>
    /// <param name="samples">Samples in step order (at least one).</param>
    /// <param name="step">Zero-based step.</param>
    /// <returns>Seconds.</returns>
    public static double StepTimeAt(IReadOnlyList<DecodeSample> samples, int step)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) return 0.0;
        if (step <= samples[0].Step) return samples[0].TimeSeconds;
        for (var i = 1; i < samples.Count; i++)
        {
            var previous = samples[i - 1];
            var current = samples[i];
            if (step > current.Step) continue;
            var gap = current.Step - previous.Step;
            if (gap <= 0) return current.TimeSeconds;
            var fraction = (double)(step - previous.Step) / gap;
            return previous.TimeSeconds + fraction * (current.TimeSeconds - previous.TimeSeconds);
        }

        return samples[^1].TimeSeconds;
    }

    private static double RateOf(double seconds) => seconds <= 0.0 ? 0.0 : 1.0 / seconds;
}
