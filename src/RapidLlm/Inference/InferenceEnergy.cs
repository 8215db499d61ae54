namespace RapidLlm.Inference;

/// <summary>Energy per phase and per token.</summary>
/// <param name="PrefillJoules">Prefill pass.</param>
/// <param name="DecodeJoules">All decode steps (integrated).</param>
/// <param name="PrefillJoulesPerToken">Prefill energy / (batch × prompt tokens); 0 without a prompt.</param>
/// <param name="DecodeJoulesPerToken">Decode energy / (batch × generated tokens); 0 without decode.</param>
/// <param name="TotalJoulesPerToken">Total energy / (batch × sequence length).</param>
/// <param name="Accounting">The layer accounting the figures use.</param>
public sealed record InferenceEnergy(
    double PrefillJoules,
    double DecodeJoules,
    double PrefillJoulesPerToken,
    double DecodeJoulesPerToken,
    double TotalJoulesPerToken,
    EnergyAccounting Accounting)
{
    /// <summary>Prefill + decode.</summary>
    public double TotalJoules => PrefillJoules + DecodeJoules;

    /// <summary>Derives the per-token figures.</summary>
    /// <param name="prefillJoules">Prefill energy.</param>
    /// <param name="decodeJoules">Decode energy.</param>
    /// <param name="batch">Sequences per simulated pass (the denominator's batch).</param>
    /// <param name="prefillLength">Prompt tokens.</param>
    /// <param name="decodeLength">Generated tokens.</param>
    /// <param name="accounting">The layer accounting used.</param>
    /// <returns>The energy record.</returns>
    public static InferenceEnergy From(
        double prefillJoules, double decodeJoules, int batch, int prefillLength, int decodeLength, EnergyAccounting accounting)
    {
        static double PerToken(double joules, long tokens) => tokens > 0 ? joules / tokens : 0.0;
        return new InferenceEnergy(
            prefillJoules,
            decodeJoules,
            PerToken(prefillJoules, (long)batch * prefillLength),
            PerToken(decodeJoules, (long)batch * decodeLength),
            PerToken(prefillJoules + decodeJoules, (long)batch * (prefillLength + decodeLength)),
            accounting);
    }
}
