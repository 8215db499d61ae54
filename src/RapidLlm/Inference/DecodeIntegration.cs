using RapidLlm.Common;

namespace RapidLlm.Inference;

/// <summary>
/// Trapezoid integration of sampled decode steps. Step times grow about linearly with the KV length, so the mean of
/// two neighbouring samples times their distance is a close estimate of the steps between them.
/// </summary>
internal static class DecodeIntegration
{
    /// <summary>
    /// Integrates: the first sample counts once, each later sample adds ½(t_prev + t)·(step − step_prev), and steps after
    /// the last sample are charged at its cost. Energy is integrated the same way.
    /// </summary>
    /// <param name="samples">Samples in strictly increasing step order; at least one.</param>
    /// <param name="decodeLength">Tokens generated.</param>
    /// <returns>The integral and its parts.</returns>
    public static DecodeIntegral Integrate(IReadOnlyList<DecodeSample> samples, int decodeLength)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("At least one decode sample is needed.", nameof(samples));

        // Accumulate in the reference's order so the sums are bit-identical.
        var time = samples[0].TimeSeconds;
        var energy = samples[0].EnergyJoules;
        var segments = new List<IntegrationSegment>(samples.Count - 1);
        for (var i = 1; i < samples.Count; i++)
        {
            var previous = samples[i - 1];
            var current = samples[i];
            var width = current.Step - previous.Step;
            if (width <= 0) throw new ArgumentException("Decode samples must be in strictly increasing step order.", nameof(samples));
            var midpoint = 0.5 * (previous.TimeSeconds + current.TimeSeconds);
            var segmentTime = midpoint * width;
            var segmentEnergy = 0.5 * (previous.EnergyJoules + current.EnergyJoules) * width;
            time += segmentTime;
            energy += segmentEnergy;
            segments.Add(new IntegrationSegment(previous.Step, current.Step, midpoint, segmentTime, segmentEnergy));
        }

        var last = samples[^1];
        IntegrationTail? tail = null;
        var remaining = decodeLength - (last.Step + 1);
        if (remaining > 0)
        {
            var tailTime = remaining * last.TimeSeconds;
            var tailEnergy = remaining * last.EnergyJoules;
            time += tailTime;
            energy += tailEnergy;
            tail = new IntegrationTail(last.Step, remaining, tailTime, tailEnergy);
        }

        return new DecodeIntegral(time, energy, new EquatableArray<IntegrationSegment>(segments), tail);
    }
}
