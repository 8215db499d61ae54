using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>The network link each parallelism axis uses in the analytical model.</summary>
/// <param name="Tp">Tensor-parallel link (the reference also times CP collectives on it).</param>
/// <param name="Cp">Context-parallel link.</param>
/// <param name="Pp">Pipeline (cross-stage) link.</param>
/// <param name="Dp">Data-parallel link.</param>
/// <param name="Ep">Expert-parallel link (MoE dispatch and combine); the tp link when null.</param>
internal sealed record AxisLinks(Link Tp, Link Cp, Link Pp, Link Dp, Link? Ep = null)
{
    /// <summary>The link of one axis (expert parallelism falls back to the tp link when no ep link is given).</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>Its link.</returns>
    public Link For(ParallelismAxis axis) => axis switch
    {
        ParallelismAxis.Cp => Cp,
        ParallelismAxis.Pp => Pp,
        ParallelismAxis.Dp => Dp,
        ParallelismAxis.Ep => Ep ?? Tp,
        _ => Tp,
    };
}
