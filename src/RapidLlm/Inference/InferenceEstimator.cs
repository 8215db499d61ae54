using RapidLlm.Common;

namespace RapidLlm.Inference;

/// <summary>
/// Orchestrates an inference estimate: prefill once, simulate the sampled decode steps, integrate, and derive time to
/// first token, rates, throughput, KV counters and energy. Pure: safe to call concurrently.
/// </summary>
internal static class InferenceEstimator
{
    /// <summary>Runs the estimate with the given cost models.</summary>
    /// <param name="settings">Run-level settings (validated here).</param>
    /// <param name="prefill">Costs the prefill pass; not called when there is no prompt.</param>
    /// <param name="decode">Costs one decode step; called once per sampled step.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public static InferenceEstimate Estimate(InferenceSettings settings, IPrefillModel prefill, IDecodeStepModel decode)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(prefill);
        ArgumentNullException.ThrowIfNull(decode);
        settings.Validate();

        double prefillSeconds = 0, prefillJoules = 0;
        if (settings.PrefillLength > 0)
        {
            var cost = prefill.EstimatePrefill(settings.PrefillLength);
            prefillSeconds = cost.TimeSeconds;
            prefillJoules = JoulesOf(cost, settings);
        }

        var samples = new List<DecodeSample>();
        foreach (var step in DecodeSampling.SampleSteps(settings.DecodeLength, settings.SampleEvery))
        {
            var kvLength = DecodeSampling.KvLengthAt(settings.PrefillLength, step);
            var cost = decode.EstimateStep(kvLength);
            samples.Add(new DecodeSample(step, kvLength, cost.TimeSeconds, JoulesOf(cost, settings)));
        }

        return Assemble(settings, prefillSeconds, prefillJoules, samples);
    }

    /// <summary>
    /// Combines an already-costed prefill and decode samples into an estimate (used by <see cref="Estimate"/>, and to
    /// replay recorded step costs).
    /// </summary>
    /// <param name="settings">Run-level settings (validated here).</param>
    /// <param name="prefillSeconds">Prefill time (0 without a prompt).</param>
    /// <param name="prefillJoules">Prefill energy (0 without a prompt).</param>
    /// <param name="samples">Decode samples in increasing step order (empty without decode).</param>
    /// <returns>The estimate.</returns>
    public static InferenceEstimate Assemble(
        InferenceSettings settings, double prefillSeconds, double prefillJoules, IReadOnlyList<DecodeSample> samples)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(samples);
        settings.Validate();
        if (settings.DecodeLength > 0 && samples.Count == 0)
            throw new ArgumentException("Decode samples are required when DecodeLength > 0.", nameof(samples));

        DecodeIntegral? integral = null;
        DecodeRates? rates = null;
        AggregateDecodeThroughput? throughput = null;
        double decodeSeconds = 0, decodeJoules = 0;
        if (settings.DecodeLength > 0)
        {
            integral = DecodeIntegration.Integrate(samples, settings.DecodeLength);
            decodeSeconds = integral.TimeSeconds;
            decodeJoules = integral.EnergyJoules;
            rates = DecodeRates.From(samples, settings.DecodeLength, decodeSeconds);
            if (rates is not null) throughput = AggregateDecodeThroughput.From(rates, settings.BatchSize, settings.ReplicaCount);
        }

        // Without a prompt the first token comes from the first decode step alone.
        var timeToFirstToken = prefillSeconds;
        if (integral is not null) timeToFirstToken += samples[0].TimeSeconds;

        var kvCache = KvCacheTraffic.Compute(
            settings.KvCacheBytesPerTokenPerLayer, settings.PrefillLength, settings.DecodeLength, settings.LayerCount);
        var energy = InferenceEnergy.From(
            prefillJoules, decodeJoules, settings.EffectiveTransformerBatch, settings.PrefillLength, settings.DecodeLength,
            settings.EnergyAccounting);

        return new InferenceEstimate(
            settings, prefillSeconds, decodeSeconds, timeToFirstToken, new EquatableArray<DecodeSample>(samples), rates, throughput, kvCache, energy)
        {
            Integral = integral,
        };
    }

    private static double JoulesOf(PhaseCost cost, InferenceSettings settings) =>
        settings.Power is { } power && cost.Work is { } work
            ? power.Joules(cost.TimeSeconds, settings.GpusPerReplica, work)
            : PhaseEnergy.Joules(cost.Energy, settings.LayerCount, settings.PipelineStages, settings.EnergyCoefficients, settings.EnergyAccounting);
}
