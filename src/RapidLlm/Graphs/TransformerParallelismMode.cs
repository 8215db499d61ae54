namespace RapidLlm.Graphs;

/// <summary>How a transformer layer is split across tp/cp ranks; selects the communication rules.</summary>
public enum TransformerParallelismMode
{
    /// <summary>No intra-layer parallelism.</summary>
    Single,
    /// <summary>Tensor parallelism (Megatron all-reduces).</summary>
    Tensor,
    /// <summary>Tensor + sequence parallelism (all-gather / reduce-scatter).</summary>
    TensorSequence,
    /// <summary>Context parallelism.</summary>
    Context,
    /// <summary>Tensor and context parallelism together.</summary>
    TensorContextHybrid,
}
