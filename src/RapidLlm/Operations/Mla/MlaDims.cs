namespace RapidLlm.Operations.Mla;

/// <summary>
/// Multi-head latent attention (DeepSeek-V2/V3): queries and keys/values are projected down into low-rank latents and
/// back up per head; a separate rotary slice of the key is shared by all heads.
/// </summary>
/// <param name="NumHeads">Attention heads H.</param>
/// <param name="QLoraRank">Query latent rank.</param>
/// <param name="KvLoraRank">Key/value latent rank (what the KV cache stores per token).</param>
/// <param name="QkNopeHeadDim">Per-head query/key width without rotary embedding.</param>
/// <param name="QkRopeHeadDim">Rotary query/key width.</param>
/// <param name="VHeadDim">Per-head value width.</param>
internal sealed record MlaDims(long NumHeads, long QLoraRank, long KvLoraRank, long QkNopeHeadDim, long QkRopeHeadDim, long VHeadDim)
{
    /// <summary>Per-head query/key width (nope + rope).</summary>
    public long QkHeadDim => QkNopeHeadDim + QkRopeHeadDim;

    /// <summary>Query down-projection weights D·q_lora.</summary>
    public long DownQParameters(long hidden) => hidden * QLoraRank;

    /// <summary>Key/value down-projection weights D·(kv_lora + rope), rotary slice included.</summary>
    public long DownKvParameters(long hidden) => hidden * (KvLoraRank + QkRopeHeadDim);

    /// <summary>Up-projection weights (query nope + rope, key nope, value), the tensor-parallel part of the projection.</summary>
    public long UpParameters =>
        QLoraRank * NumHeads * QkNopeHeadDim + QLoraRank * NumHeads * QkRopeHeadDim
        + KvLoraRank * NumHeads * QkNopeHeadDim + KvLoraRank * NumHeads * VHeadDim;

    /// <summary>Output projection weights H·v·D.</summary>
    public long OutputParameters(long hidden) => NumHeads * VHeadDim * hidden;

    /// <summary>All projection-stage weights (down and up), whose gradients the projection backward accumulates.</summary>
    public long ProjectionStageParameters(long hidden) => DownQParameters(hidden) + DownKvParameters(hidden) + UpParameters;

    /// <summary>Per-rank projection weights: the down-projections are replicated, the up-projections split over tp.</summary>
    public double ProjectionParametersPerRank(long hidden, int tp) =>
        DownQParameters(hidden) + DownKvParameters(hidden) + UpParameters / (double)Math.Max(1, tp);

    /// <summary>Per-rank output projection weights.</summary>
    public double OutputParametersPerRank(long hidden, int tp) => OutputParameters(hidden) / (double)Math.Max(1, tp);

    /// <summary>KV-cache bytes per token and layer: the latent plus the shared rotary key.</summary>
    public double LatentCacheBytesPerToken(double precisionBytes) => (KvLoraRank + QkRopeHeadDim) * precisionBytes;

    /// <summary>Throws when a dimension is not positive.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive.</exception>
    public void Validate()
    {
        if (NumHeads <= 0 || QLoraRank <= 0 || KvLoraRank <= 0 || QkNopeHeadDim <= 0 || QkRopeHeadDim < 0 || VHeadDim <= 0)
            throw new ArgumentException("MLA dimensions must be positive (qk_rope_head_dim may be 0).");
    }
}
