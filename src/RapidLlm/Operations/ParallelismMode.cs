namespace RapidLlm.Operations;

/// <summary>How a transformer layer is sharded inside one pipeline stage; selected from tp, cp and tp_sp.</summary>
internal enum ParallelismMode
{
    /// <summary>One device per layer replica (tp = cp = 1, or tp_sp with tp = 1).</summary>
    Single,

    /// <summary>Megatron tensor parallelism (tp &gt; 1, cp = 1, no sequence parallelism).</summary>
    Tensor,

    /// <summary>Tensor parallelism with sequence-parallel layer norms (tp &gt; 1, tp_sp, cp = 1).</summary>
    TensorSequence,

    /// <summary>Context parallelism only (cp &gt; 1, tp = 1).</summary>
    Context,

    /// <summary>Tensor × context parallelism (tp &gt; 1, cp &gt; 1).</summary>
    TensorContextHybrid,
}
