namespace RapidLlm.Inference;

/// <summary>
/// Costs one autoregressive decode step. The per-op timing library implements this: it builds the step's operators at
/// the given KV length, simulates the forward-only pipeline graph and sums the energy inputs of the counted operators.
/// Implementations must be pure (no shared mutable state), because estimates run concurrently.
/// </summary>
internal interface IDecodeStepModel
{
    /// <summary>Costs the decode step whose attention spans <paramref name="kvLengthTokens"/> positions.</summary>
    /// <param name="kvLengthTokens">Cached positions attended over, the new token included (prefill length + step + 1).</param>
    /// <returns>The step's simulated time and its energy inputs.</returns>
    PhaseCost EstimateStep(long kvLengthTokens);
}
