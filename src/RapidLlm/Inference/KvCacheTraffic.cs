namespace RapidLlm.Inference;

/// <summary>
/// Informational KV-cache byte counters (they feed no time: KV reads are already inside the attention GEMMs' DRAM
/// traffic).
/// </summary>
/// <param name="PrefillStoreBytes">K and V written for the prompt, all layers.</param>
/// <param name="DecodeStoreBytes">K and V written for generated tokens, all layers.</param>
/// <param name="DecodeFetchBytes">K and V read by all decode steps, all layers (arithmetic series of KV lengths).</param>
internal sealed record KvCacheTraffic(double PrefillStoreBytes, double DecodeStoreBytes, double DecodeFetchBytes)
{
    /// <summary>Bytes one token position adds to one layer's cache for the whole batch: batch·kv_heads·head_dim·bytes·2 (K and V).</summary>
    /// <param name="batch">Sequences in the batch.</param>
    /// <param name="kvHeads">Key/value heads.</param>
    /// <param name="headDim">Head dimension.</param>
    /// <param name="bytesPerElement">KV-cache precision in bytes.</param>
    /// <returns>Bytes.</returns>
    public static double BytesPerTokenPerLayer(int batch, int kvHeads, int headDim, double bytesPerElement) =>
        (long)batch * kvHeads * headDim * bytesPerElement * 2;

    /// <summary>The same for multi-head latent attention, which caches the compressed latent and the RoPE key part.</summary>
    /// <param name="batch">Sequences in the batch.</param>
    /// <param name="kvLoraRank">Latent KV rank.</param>
    /// <param name="ropeHeadDim">Rotary key dimension.</param>
    /// <param name="bytesPerElement">KV-cache precision in bytes.</param>
    /// <returns>Bytes.</returns>
    public static double LatentBytesPerTokenPerLayer(int batch, int kvLoraRank, int ropeHeadDim, double bytesPerElement) =>
        (long)batch * (kvLoraRank + ropeHeadDim) * bytesPerElement;

    /// <summary>Counts the traffic of one request batch.</summary>
    /// <param name="bytesPerTokenPerLayer">See <see cref="BytesPerTokenPerLayer"/>.</param>
    /// <param name="prefillLength">Prompt tokens.</param>
    /// <param name="decodeLength">Generated tokens.</param>
    /// <param name="layerCount">Transformer layers.</param>
    /// <returns>The counters.</returns>
    public static KvCacheTraffic Compute(double bytesPerTokenPerLayer, int prefillLength, int decodeLength, int layerCount)
    {
        var sequenceLength = (long)prefillLength + decodeLength;
        // Σ over steps of the KV length, as the reference's integer floor: decode·(prefill + seq) // 2.
        var fetchedPositions = (long)decodeLength * (prefillLength + sequenceLength) / 2;
        return new KvCacheTraffic(
            bytesPerTokenPerLayer * prefillLength * layerCount,
            bytesPerTokenPerLayer * decodeLength * layerCount,
            bytesPerTokenPerLayer * layerCount * fetchedPositions);
    }
}
