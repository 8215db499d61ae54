namespace RapidLlm.Memory;

/// <summary>Which lifetime rules the memory estimate uses.</summary>
public enum MemoryMode
{
    /// <summary>Forward activations stay until their backward op (unless fully recomputed); weights, gradients and optimizer states are static.</summary>
    Training,

    /// <summary>Activations are transient; weights and the KV cache are static.</summary>
    Inference,
}
