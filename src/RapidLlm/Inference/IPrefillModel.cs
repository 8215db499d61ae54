namespace RapidLlm.Inference;

/// <summary>
/// Costs the prefill pass (the whole prompt in one forward pass). The per-op timing library implements this with the
/// forward-only pipeline graph at sequence length <c>seq_len − decode_len</c>. Implementations must be pure.
/// </summary>
internal interface IPrefillModel
{
    /// <summary>Costs prefilling <paramref name="promptTokens"/> positions (never called with 0).</summary>
    /// <param name="promptTokens">Prompt length in tokens.</param>
    /// <returns>The prefill's simulated time and its energy inputs.</returns>
    PhaseCost EstimatePrefill(long promptTokens);
}
