using RapidLlm.Common;

namespace RapidLlm.Operations.Moe;

/// <summary>
/// Costs one decode step of a MoE decoder layer: the dense step's attention, norms and LM head, with the MLP replaced
/// by a router, a dispatch exchange, the routed (and shared) expert FFNs on the new tokens, and a combine exchange.
/// </summary>
internal static class MoeDecodeStepEstimator
{
    /// <summary>Costs the step.</summary>
    /// <param name="workload">The dense workload (its MLP width is replaced by the expert width).</param>
    /// <param name="moe">The MoE layer (inference routing over tp × moe_dp ranks).</param>
    /// <param name="models">The device models.</param>
    /// <param name="kvLength">KV length including the new token.</param>
    /// <returns>The step's operators (router, moe_dispatch and moe_combine included) and node durations.</returns>
    /// <exception cref="ArgumentException">The MoE spec is invalid.</exception>
    public static DecodeStepCosts Estimate(TransformerWorkload workload, MoeLayerSpec moe, OperationCostModels models, long kvLength)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(moe);
        moe.Validate();
        var expertWorkload = workload with { Model = workload.Model with { IntermediateSize = moe.ExpertIntermediateSize } };
        return DecodeStepEstimator.Estimate(expertWorkload, models, kvLength, (c, shapes) =>
        {
            // One new token per sequence.
            var routing = MoeTokenRouting.For(moe, workload.BatchSize, 1, c.Cp);
            var profile = moe.Imbalance;
            var router = MoeLayerCostEstimator.RouterForwardSeconds(c, routing.TokensOwned, c.Model.HiddenDim, moe.NumExperts);
            var bytes = Math.Ceiling(c.Precision.Activations * routing.TokensDispatched * c.Model.HiddenDim);
            var dispatch = MoeLayerCostEstimator.ExchangeDirection(c, moe, profile, bytes);
            var combine = MoeLayerCostEstimator.ExchangeDirection(c, moe, profile, bytes);
            var ffn1 = MoeLayerCostEstimator.ExpertFfn(c, "ffn1", moe, routing, profile, shapes.Ffn1, GemmRole.Ffn1, includeBackward: false);
            var ffn2 = MoeLayerCostEstimator.ExpertFfn(c, "ffn2", moe, routing, profile, shapes.Ffn2, GemmRole.Ffn2, includeBackward: false);
            OperationCost[] extra =
            [
                new("router", DirectionCost.ComputeOnly(router), null),
                new("moe_dispatch", dispatch, null),
                new("moe_combine", combine, null),
            ];
            // The reference sizes the decode activation like the dense step's (over the sharded FFN1 output of the
            // expert width), not by the routed token count as in training and prefill.
            return new DecodeMlpCosts(
                ffn1, DecodeStepEstimator.DenseActivationSeconds(c, shapes), ffn2,
                router + dispatch.CommTimeSeconds + combine.CommTimeSeconds, extra);
        });
    }
}
