namespace RapidLlm.Operations;

/// <summary>Which pass of a run a layer is costed for.</summary>
internal enum RunPhase
{
    /// <summary>Training: forward and backward of a full sequence.</summary>
    Training,

    /// <summary>Inference prefill: the prompt processed as one sequence (forward and, for reporting, backward).</summary>
    Prefill,

    /// <summary>Inference decode: one new token per sequence attending over a growing KV cache.</summary>
    Decode,
}
