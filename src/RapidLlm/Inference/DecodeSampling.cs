namespace RapidLlm.Inference;

/// <summary>Chooses which decode steps are simulated; the others are interpolated.</summary>
internal static class DecodeSampling
{
    /// <summary>The <c>sample_every</c> value meaning "only the first and the last step".</summary>
    public const int FirstAndLastOnly = -1;

    /// <summary>
    /// Sample steps: 0, then every <paramref name="sampleEvery"/>-th step (s−1, 2s−1, …), then the last step;
    /// sorted and without duplicates.
    /// </summary>
    /// <param name="decodeLength">Tokens generated (0 gives no samples).</param>
    /// <param name="sampleEvery">Sampling interval, ≥ 1, or <see cref="FirstAndLastOnly"/>.</param>
    /// <returns>Zero-based decode step indices, strictly increasing.</returns>
    public static IReadOnlyList<int> SampleSteps(int decodeLength, int sampleEvery)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decodeLength);
        if (sampleEvery != FirstAndLastOnly && sampleEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(sampleEvery), sampleEvery, "sample_every must be ≥ 1 or -1.");
        if (decodeLength == 0) return [];

        // The reference lists step 0 twice when sample_every is 1 and then rejects its own list; a set avoids that.
        var steps = new SortedSet<int> { 0, decodeLength - 1 };
        if (sampleEvery != FirstAndLastOnly)
        {
            for (long step = sampleEvery - 1; step < decodeLength; step += sampleEvery) steps.Add((int)step);
        }

        return [.. steps];
    }

    /// <summary>KV length a decode step attends over: the prompt, the tokens generated before it, and itself.</summary>
    /// <param name="prefillLength">Prompt tokens.</param>
    /// <param name="step">Zero-based decode step.</param>
    /// <returns>Tokens in the KV cache during the step.</returns>
    public static long KvLengthAt(int prefillLength, int step) => (long)prefillLength + step + 1;
}
