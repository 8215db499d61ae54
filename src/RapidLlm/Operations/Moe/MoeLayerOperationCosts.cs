namespace RapidLlm.Operations.Moe;

/// <summary>
/// Every operator of one MoE decoder layer: the dense layer's attention, norms, embedding and LM head, the expert
/// FFNs in place of the dense MLP, and the router and the dispatch/combine exchanges around the experts.
/// </summary>
/// <param name="Layer">The layer's operators with <c>ffn1</c>, <c>gelu</c>, <c>ffn2</c> and the node durations of the MoE layer.</param>
/// <param name="Router"><c>router</c>: gating GEMM and softmax over the experts.</param>
/// <param name="Dispatch"><c>moe_dispatch</c>: tokens to their experts.</param>
/// <param name="Combine"><c>moe_combine</c>: expert outputs back to their tokens.</param>
/// <param name="Routing">The token counts the costs were computed from.</param>
internal sealed record MoeLayerOperationCosts(
    LayerOperationCosts Layer,
    OperationCost Router,
    OperationCost Dispatch,
    OperationCost Combine,
    MoeTokenRouting Routing)
{
    /// <summary>The pipeline node durations of a MoE layer.</summary>
    public NodeBreakdown Nodes => Layer.Nodes;

    /// <summary>All operators: the layer's, then router, dispatch and combine.</summary>
    public IEnumerable<OperationCost> All()
    {
        foreach (var op in Layer.All()) yield return op;
        yield return Router;
        yield return Dispatch;
        yield return Combine;
    }

    /// <summary>Finds an operator by its reference name.</summary>
    /// <param name="name">The name, e.g. <c>moe_dispatch</c>.</param>
    /// <returns>The operator, or null.</returns>
    public OperationCost? Find(string name) => All().FirstOrDefault(op => op.Name == name);
}
