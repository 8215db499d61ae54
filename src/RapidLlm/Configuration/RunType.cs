namespace RapidLlm.Configuration;

/// <summary>What a run estimates.</summary>
public enum RunType
{
    /// <summary>One optimizer step over a global batch.</summary>
    Training,
    /// <summary>Prefill followed by autoregressive decode.</summary>
    Inference,
}
