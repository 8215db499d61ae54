using RapidLlm.Network;

namespace RapidLlm.Graphs;

/// <summary>
/// The per-mode table of which collective follows each transformer op (dense layers), as in the
/// reference's <c>COMMUNICATION_RULES</c>. An op absent from a mode falls back to the mode's default
/// entry; a mode whose default is "none" silently sends nothing for unlisted ops.
/// </summary>
public static class TransformerCommunicationRules
{
    private static readonly TransformerCommunicationRule TpAllReduce = new(CollectiveKind.AllReduce, ParallelismAxis.Tp, ParallelismAxis.Tp);
    private static readonly TransformerCommunicationRule TpAllGather = new(CollectiveKind.AllGather, ParallelismAxis.Tp, ParallelismAxis.Tp);
    private static readonly TransformerCommunicationRule TpReduceScatter = new(CollectiveKind.ReduceScatter, ParallelismAxis.Tp, ParallelismAxis.Tp);
    private static readonly TransformerCommunicationRule CpAllGather = new(CollectiveKind.AllGather, ParallelismAxis.Cp, ParallelismAxis.Cp);
    private static readonly TransformerCommunicationRule CpReduceScatter = new(CollectiveKind.ReduceScatter, ParallelismAxis.Cp, ParallelismAxis.Cp);
    private static readonly TransformerCommunicationRule EpAllToAll = new(CollectiveKind.AllToAll, ParallelismAxis.Ep, ParallelismAxis.Ep);

    /// <summary>
    /// The rule for one op and direction; null when the op sends nothing in that direction.
    /// </summary>
    /// <param name="mode">Parallelism mode.</param>
    /// <param name="opName">Op name (<c>layernorm1</c>, <c>qkv_proj</c>, <c>attention</c>, <c>output_proj</c>, <c>layernorm2</c>, <c>MLP</c>).</param>
    /// <param name="direction">Pass direction.</param>
    /// <param name="hasRule">False when neither the op nor the mode's default has an entry (an error if the op moves bytes).</param>
    /// <returns>The rule, or null.</returns>
    public static TransformerCommunicationRule? Find(TransformerParallelismMode mode, string opName, PassDirection direction, out bool hasRule)
    {
        ArgumentNullException.ThrowIfNull(opName);
        hasRule = true;
        // MoE exchanges move tokens between expert-parallel ranks in every mode; only AstraSim graphs give them bytes.
        if (opName is "moe_dispatch" or "moe_combine")
        {
            return EpAllToAll;
        }

        var forward = direction == PassDirection.Forward;
        switch (mode)
        {
            case TransformerParallelismMode.Tensor:
                return TpAllReduce;
            case TransformerParallelismMode.TensorSequence:
                return opName switch
                {
                    "layernorm1" or "layernorm2" => TpAllGather,
                    "qkv_proj" or "attention" or "output_proj" or "MLP" => TpReduceScatter,
                    _ => null,
                };
            case TransformerParallelismMode.Context:
                return opName switch
                {
                    "attention" => forward ? null : CpReduceScatter,
                    "output_proj" => forward ? null : CpAllGather,
                    "qkv_proj" => forward ? CpAllGather : null,
                    _ => forward ? CpAllGather : CpReduceScatter,
                };
            case TransformerParallelismMode.TensorContextHybrid:
                return opName switch
                {
                    "layernorm1" or "layernorm2" => TpAllGather,
                    "MLP" => TpReduceScatter,
                    "attention" => forward ? null : CpReduceScatter,
                    "output_proj" => forward
                        ? new TransformerCommunicationRule(CollectiveKind.ReduceScatter, ParallelismAxis.Tp, ParallelismAxis.Cp)
                        : CpAllGather,
                    "qkv_proj" => forward
                        ? new TransformerCommunicationRule(CollectiveKind.AllGather, ParallelismAxis.Cp, ParallelismAxis.Tp)
                        : TpReduceScatter,
                    _ => null,
                };
            default:
                return null;
        }
    }
}
