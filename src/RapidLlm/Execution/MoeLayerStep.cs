using RapidLlm.Common;
using RapidLlm.Operations;

namespace RapidLlm.Execution;

/// <summary>
/// The MoE layer of a step: its op chain (router, dispatch, expert MLP, combine) with the dispatch and combine carrying
/// all-to-all bytes instead of durations, so a backend that times the layer itself sees the exchanges as
/// expert-parallel collectives.
/// </summary>
/// <param name="Ops">The MoE layer's graph operators (built with exchanges as collectives).</param>
/// <param name="ExpertParallel">Expert-parallel ranks per stage beside tp and cp: ep in training, moe_dp in inference.</param>
/// <param name="RoutingGroup">Ranks in one exchange: ep in training, tp × moe_dp in inference.</param>
internal sealed record MoeLayerStep(EquatableArray<TransformerGraphOp> Ops, int ExpertParallel, int RoutingGroup);
