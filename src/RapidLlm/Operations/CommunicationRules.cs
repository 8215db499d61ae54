using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>
/// The per-mode rule table that turns an operator's communicated bytes into a transformer-graph collective
/// (the reference's <c>COMMUNICATION_RULES</c>). Operators not listed fall back to the mode's default.
/// </summary>
internal static class CommunicationRules
{
    private static readonly CommunicationRule TpAllReduce = new(CollectiveKind.AllReduce, ParallelismAxis.Tp, ParallelismAxis.Tp);
    private static readonly CommunicationRule TpAllGather = new(CollectiveKind.AllGather, ParallelismAxis.Tp, ParallelismAxis.Tp);
    private static readonly CommunicationRule TpReduceScatter = new(CollectiveKind.ReduceScatter, ParallelismAxis.Tp, ParallelismAxis.Tp);
    private static readonly CommunicationRule CpAllGather = new(CollectiveKind.AllGather, ParallelismAxis.Cp, ParallelismAxis.Cp);
    private static readonly CommunicationRule CpReduceScatter = new(CollectiveKind.ReduceScatter, ParallelismAxis.Cp, ParallelismAxis.Cp);
    private static readonly CommunicationRule EpAllToAll = new(CollectiveKind.AllToAll, ParallelismAxis.Ep, ParallelismAxis.Ep);

    /// <summary>The rule for a graph operator, or null when the mode issues no collective for it.</summary>
    /// <param name="mode">Parallelism mode.</param>
    /// <param name="operatorName">Graph operator (<c>layernorm1</c>, <c>qkv_proj</c>, <c>attention</c>, <c>output_proj</c>, <c>layernorm2</c>, <c>MLP</c>, or the MoE <c>moe_dispatch</c> / <c>moe_combine</c>).</param>
    /// <param name="forward">Direction.</param>
    /// <returns>The rule or null.</returns>
    public static CommunicationRule? For(ParallelismMode mode, string operatorName, bool forward) => operatorName switch
    {
        // MoE exchanges move tokens between expert-parallel ranks in every mode; only AstraSim graphs give them bytes.
        "moe_dispatch" or "moe_combine" => EpAllToAll,
        _ => DenseRule(mode, operatorName, forward),
    };

    private static CommunicationRule? DenseRule(ParallelismMode mode, string operatorName, bool forward) => mode switch
    {
        ParallelismMode.Tensor => TpAllReduce,
        ParallelismMode.TensorSequence => operatorName switch
        {
            "layernorm1" or "layernorm2" => TpAllGather,
            "qkv_proj" or "attention" or "output_proj" or "MLP" => TpReduceScatter,
            _ => null,
        },
        ParallelismMode.Context => (operatorName, forward) switch
        {
            ("attention", true) => null,
            ("attention", false) => CpReduceScatter,
            ("output_proj", true) => null,
            ("output_proj", false) => CpAllGather,
            ("qkv_proj", true) => CpAllGather,
            ("qkv_proj", false) => null,
            (_, true) => CpAllGather,
            (_, false) => CpReduceScatter,
        },
        ParallelismMode.TensorContextHybrid => (operatorName, forward) switch
        {
            ("layernorm1" or "layernorm2", _) => TpAllGather,
            ("MLP", _) => TpReduceScatter,
            ("attention", false) => CpReduceScatter,
            // The reference sizes this scatter by tp but labels its interconnect cp.
            ("output_proj", true) => new(CollectiveKind.ReduceScatter, ParallelismAxis.Tp, ParallelismAxis.Cp),
            ("output_proj", false) => CpAllGather,
            // …and this gather by cp over the tp interconnect.
            ("qkv_proj", true) => new(CollectiveKind.AllGather, ParallelismAxis.Cp, ParallelismAxis.Tp),
            ("qkv_proj", false) => TpReduceScatter,
            _ => null,
        },
        _ => null,
    };
}
