namespace RapidLlm.Inference;

/// <summary>
/// Forward-pass operator sums that feed the energy model. Per-layer sums cover one transformer layer (the ops the
/// reference counts: qkv_proj, attention, output_proj, ffn1, gelu, ffn2, layernorm1, layernorm2); the vocabulary sums
/// cover the embedding and LM head, which exist once per model. Keeping them apart is what lets
/// <see cref="EnergyAccounting.AllLayers"/> scale only the layer part.
/// </summary>
/// <param name="LayerFlops">FLOPs of one layer (the op library's convention: unsharded GEMM FLOPs).</param>
/// <param name="LayerDramBytes">Last-level (HBM) bytes of one layer.</param>
/// <param name="LayerCommBytes">Communicated bytes of one layer.</param>
/// <param name="VocabularyFlops">FLOPs of embedding + LM head.</param>
/// <param name="VocabularyDramBytes">HBM bytes of embedding + LM head.</param>
/// <param name="VocabularyCommBytes">Communicated bytes of embedding + LM head.</param>
/// <param name="CrossStageBytes">Activation bytes handed from one pipeline stage to the next in this pass.</param>
internal sealed record PhaseEnergyInputs(
    double LayerFlops,
    double LayerDramBytes,
    double LayerCommBytes,
    double VocabularyFlops,
    double VocabularyDramBytes,
    double VocabularyCommBytes,
    double CrossStageBytes)
{
    /// <summary>No work at all (a skipped phase).</summary>
    public static PhaseEnergyInputs None { get; } = new(0, 0, 0, 0, 0, 0, 0);
}
