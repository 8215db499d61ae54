namespace RapidLlm.Inference;

/// <summary>One simulated decode step.</summary>
/// <param name="Step">Zero-based decode step index.</param>
/// <param name="KvLengthTokens">Tokens attended over (prefill length + step + 1).</param>
/// <param name="TimeSeconds">Simulated step time.</param>
/// <param name="EnergyJoules">Energy of the step.</param>
internal sealed record DecodeSample(int Step, long KvLengthTokens, double TimeSeconds, double EnergyJoules);
