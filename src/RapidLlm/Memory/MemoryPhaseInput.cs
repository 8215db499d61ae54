namespace RapidLlm.Memory;

/// <summary>The token shape of one simulated pass.</summary>
/// <param name="Mode">Training or inference rules.</param>
/// <param name="BatchSize">Sequences per transformer call (the micro-batch with pp &gt; 1).</param>
/// <param name="SequenceLength">Query tokens per sequence (1 for a decode step).</param>
/// <param name="AttentionKeyLength">Key tokens the attention scores span (the sequence length, or the full KV length for decode).</param>
/// <param name="KvCacheTokens">Tokens held in the KV cache (inference; 0 for none).</param>
internal sealed record MemoryPhaseInput(MemoryMode Mode, int BatchSize, int SequenceLength, int AttentionKeyLength, int KvCacheTokens = 0)
{
    /// <summary>A training pass.</summary>
    /// <param name="batchSize">Sequences per transformer call.</param>
    /// <param name="sequenceLength">Tokens per sequence.</param>
    /// <returns>The phase.</returns>
    public static MemoryPhaseInput Training(int batchSize, int sequenceLength) =>
        new(MemoryMode.Training, batchSize, sequenceLength, sequenceLength);

    /// <summary>An inference prefill over <paramref name="promptLength"/> tokens (which it also caches).</summary>
    /// <param name="batchSize">Sequences per transformer call.</param>
    /// <param name="promptLength">Prompt tokens.</param>
    /// <returns>The phase.</returns>
    public static MemoryPhaseInput Prefill(int batchSize, int promptLength) =>
        new(MemoryMode.Inference, batchSize, promptLength, promptLength, promptLength);

    /// <summary>The final decode step, with the cache holding <paramref name="totalLength"/> tokens.</summary>
    /// <param name="batchSize">Sequences per transformer call.</param>
    /// <param name="totalLength">Prompt plus generated tokens.</param>
    /// <returns>The phase.</returns>
    public static MemoryPhaseInput FinalDecode(int batchSize, int totalLength) =>
        new(MemoryMode.Inference, batchSize, 1, totalLength, totalLength);
}
