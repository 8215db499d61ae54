namespace RapidLlm.Operations;

/// <summary>The dense decoder family, which fixes the MLP structure.</summary>
internal enum ModelFamily
{
    /// <summary>GPT-style MLP: FFN1 is <c>D × I</c> followed by GELU (two weight matrices).</summary>
    Gpt,

    /// <summary>Llama-style gated MLP: FFN1 is <c>D × 2I</c> (gate and up) followed by SwiGLU (three weight matrices).</summary>
    Llama,
}
