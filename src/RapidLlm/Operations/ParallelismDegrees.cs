using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>The parallelism degrees and data-parallel options that shape one layer's costs.</summary>
/// <param name="Tp">Tensor-parallel degree.</param>
/// <param name="TensorSequenceParallel">Whether tensor parallelism also shards the sequence (Megatron SP).</param>
/// <param name="Cp">Context-parallel degree.</param>
/// <param name="Pp">Pipeline-parallel degree (number of stages).</param>
/// <param name="Dp">Data-parallel degree (1 for inference).</param>
/// <param name="ZeroStage">ZeRO stage 0–3 of the data-parallel optimizer.</param>
internal sealed record ParallelismDegrees(int Tp, bool TensorSequenceParallel, int Cp, int Pp, int Dp, int ZeroStage)
{
    /// <summary>No parallelism at all.</summary>
    public static ParallelismDegrees None { get; } = new(1, false, 1, 1, 1, 0);

    /// <summary>The sharding mode, chosen the way the reference does (tp_sp only counts when tp &gt; 1 and cp = 1).</summary>
    public ParallelismMode Mode => (Tp, Cp) switch
    {
        ( > 1, 1) when TensorSequenceParallel => ParallelismMode.TensorSequence,
        ( > 1, 1) => ParallelismMode.Tensor,
        (1, > 1) => ParallelismMode.Context,
        ( > 1, > 1) => ParallelismMode.TensorContextHybrid,
        _ => ParallelismMode.Single,
    };

    /// <summary>
    /// The degree by which the sequence is split outside attention: tp under TP+SP (cp = 1), cp whenever cp &gt; 1, else 1.
    /// </summary>
    public int SequenceParallelDegree => TensorSequenceParallel && Cp == 1 ? Tp : Cp > 1 ? Cp : 1;

    /// <summary>Whether gradients are reduce-scattered (ZeRO ≥ 2 with dp &gt; 1) rather than all-reduced.</summary>
    public bool ShardsGradients => ZeroStage >= 2 && Dp > 1;

    /// <summary>Participants of a parallelism axis.</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>Its degree (expert parallelism is always 1 for dense layers).</returns>
    public int Degree(ParallelismAxis axis) => axis switch
    {
        ParallelismAxis.Tp => Tp,
        ParallelismAxis.Cp => Cp,
        ParallelismAxis.Pp => Pp,
        ParallelismAxis.Dp => Dp,
        _ => 1,
    };
}
