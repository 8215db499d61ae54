using RapidLlm.Common;

namespace RapidLlm.Operations.Moe;

/// <summary>
/// The op chain of a MoE layer for per-rank graphs: the dense chain with the router and the dispatch exchange ahead of
/// the expert MLP and the combine exchange after it, as the reference orders them.
/// </summary>
public static class MoeTransformerGraphOps
{
    /// <summary>The training or prefill chain of a MoE layer.</summary>
    /// <param name="costs">The MoE layer's costs.</param>
    /// <param name="workload">The workload they were costed for.</param>
    public static EquatableArray<TransformerGraphOp> Build(MoeLayerOperationCosts costs, TransformerWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(workload);
        var backward = workload.Phase == RunPhase.Training;
        return Insert(TransformerGraphOps.Build(costs.Layer, workload), costs.Router, costs.Dispatch, costs.Combine, backward);
    }

    /// <summary>The decode-step chain of a MoE layer.</summary>
    /// <param name="step">The MoE layer's decode step.</param>
    /// <param name="parallelism">The parallelism degrees.</param>
    public static EquatableArray<TransformerGraphOp> Build(DecodeStepCosts step, ParallelismDegrees parallelism)
    {
        ArgumentNullException.ThrowIfNull(step);
        OperationCost Op(string name) => step.Find(name) ?? throw new InvalidOperationException($"The MoE decode step lacks {name}.");
        return Insert(TransformerGraphOps.Build(step, parallelism), Op("router"), Op("moe_dispatch"), Op("moe_combine"), backward: false);
    }

    private static EquatableArray<TransformerGraphOp> Insert(
        EquatableArray<TransformerGraphOp> dense, OperationCost router, OperationCost dispatch, OperationCost combine, bool backward)
    {
        // The exchanges are carried as plain durations: the per-rank chain needs their time and place, while their
        // all-to-all/point-to-point structure does not change what each device holds.
        static GraphOpDirection Plain(DirectionCost? d) =>
            d is null ? GraphOpDirection.Empty : new GraphOpDirection(d.TotalTimeSeconds, 0, 0, EquatableArray<GraphCommSpec>.Empty);
        TransformerGraphOp Op(OperationCost c) => new(c.Name, Plain(c.Forward), backward ? Plain(c.Backward) : GraphOpDirection.Empty);

        var ops = dense.ToList();
        var mlp = ops.FindIndex(o => o.Name == "MLP");
        ops.Insert(mlp + 1, Op(combine));
        ops.Insert(mlp, Op(dispatch));
        ops.Insert(mlp, Op(router));
        return ops.ToArray();
    }
}
