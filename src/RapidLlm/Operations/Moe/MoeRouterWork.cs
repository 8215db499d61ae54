namespace RapidLlm.Operations.Moe;

/// <summary>
/// The work of one MoE layer's gating for energy: the logits GEMM over the tokens this rank owns and the softmax over
/// the experts. The reference's energy leaves the router out (its operator timing reports no FLOPs or traffic, which the
/// cost model keeps); counting every layer adds it from here.
/// </summary>
internal static class MoeRouterWork
{
    private const int SoftmaxForwardFlops = 7;
    private const int SoftmaxForwardAccesses = 4;

    /// <summary>The forward FLOPs and DRAM bytes of the router of one MoE layer.</summary>
    /// <param name="workload">The layer's workload (prefill, or a decode step).</param>
    /// <param name="moe">The MoE layer.</param>
    /// <param name="models">The device models (the GEMM model gives the logits GEMM's traffic).</param>
    /// <param name="newTokens">Tokens per sequence this pass routes: the prompt for prefill, 1 for a decode step.</param>
    public static EnergyInputs Forward(TransformerWorkload workload, MoeLayerSpec moe, OperationCostModels models, long newTokens)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(moe);
        var c = new LayerCostContext(workload, models);
        var tokens = MoeTokenRouting.For(moe, workload.BatchSize, newTokens, c.Cp).TokensOwned;
        var hidden = c.Model.HiddenDim;
        var logits = (double)tokens * moe.NumExperts;
        var gemm = c.Gemm(tokens, hidden, moe.NumExperts);
        var flops = 2.0 * tokens * hidden * moe.NumExperts + logits * SoftmaxForwardFlops;
        var dram = LayerCostContext.Levels(gemm).At(models.DramLevel) + c.Precision.Activations * logits * SoftmaxForwardAccesses;
        return new EnergyInputs(flops, dram, 0);
    }
}
