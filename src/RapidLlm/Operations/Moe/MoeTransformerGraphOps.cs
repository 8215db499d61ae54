using RapidLlm.Common;

namespace RapidLlm.Operations.Moe;

/// <summary>
/// The op chain of a MoE layer for per-rank graphs: the dense chain with the router and the dispatch exchange ahead of
/// the expert MLP and the combine exchange after it, as the reference orders them.
/// </summary>
internal static class MoeTransformerGraphOps
{
    /// <summary>The training or prefill chain of a MoE layer.</summary>
    /// <param name="costs">The MoE layer's costs.</param>
    /// <param name="workload">The workload they were costed for.</param>
    /// <param name="exchangesAsCollectives">False (memory graphs) carries dispatch and combine as plain durations;
    /// true (AstraSim graphs) makes them zero-time ops that send their balanced all-to-all bytes, so the simulator times
    /// the exchange as a collective over the routing group.</param>
    public static EquatableArray<TransformerGraphOp> Build(MoeLayerOperationCosts costs, TransformerWorkload workload, bool exchangesAsCollectives = false)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(workload);
        var backward = workload.Phase == RunPhase.Training;
        return Insert(TransformerGraphOps.Build(costs.Layer, workload), costs.Router, costs.Dispatch, costs.Combine, backward, exchangesAsCollectives);
    }

    /// <summary>The decode-step chain of a MoE layer.</summary>
    /// <param name="step">The MoE layer's decode step.</param>
    /// <param name="parallelism">The parallelism degrees.</param>
    /// <param name="exchangesAsCollectives">As for the training chain: plain durations, or all-to-all bytes for AstraSim.</param>
    public static EquatableArray<TransformerGraphOp> Build(DecodeStepCosts step, ParallelismDegrees parallelism, bool exchangesAsCollectives = false)
    {
        ArgumentNullException.ThrowIfNull(step);
        OperationCost Op(string name) => step.Find(name) ?? throw new InvalidOperationException($"The MoE decode step lacks {name}.");
        return Insert(TransformerGraphOps.Build(step, parallelism), Op("router"), Op("moe_dispatch"), Op("moe_combine"), backward: false, exchangesAsCollectives);
    }

    private static EquatableArray<TransformerGraphOp> Insert(
        EquatableArray<TransformerGraphOp> dense, OperationCost router, OperationCost dispatch, OperationCost combine, bool backward,
        bool exchangesAsCollectives)
    {
        // For memory the exchanges are plain durations: the per-rank chain needs their time and place, while their
        // all-to-all/point-to-point structure does not change what each device holds.
        static GraphOpDirection Plain(DirectionCost? d) =>
            d is null ? GraphOpDirection.Empty : new GraphOpDirection(d.TotalTimeSeconds, 0, 0, EquatableArray<GraphCommSpec>.Empty);

        // For AstraSim only the symmetric all-to-all share is sent (the communication rules turn it into an
        // expert-parallel ALL_TO_ALL); the hot rank's residual point-to-point share is left out, since the analytical
        // model overlaps it with the all-to-all and it is the smaller of the two unless the imbalance is extreme.
        static GraphOpDirection Exchange(DirectionCost? d) =>
            d is null
                ? GraphOpDirection.Empty
                : new GraphOpDirection(0, 0, (long)Math.Ceiling(d.Collectives.Where(c => c.Kind == CollectiveKind.AllToAll).Sum(c => c.SizeBytes)),
                    EquatableArray<GraphCommSpec>.Empty);
        TransformerGraphOp Op(OperationCost c, bool exchange)
        {
            var direction = exchange ? Exchange : (Func<DirectionCost?, GraphOpDirection>)Plain;
            return new(c.Name, direction(c.Forward), backward ? direction(c.Backward) : GraphOpDirection.Empty);
        }

        var ops = dense.ToList();
        var mlp = ops.FindIndex(o => o.Name == "MLP");
        ops.Insert(mlp + 1, Op(combine, exchangesAsCollectives));
        ops.Insert(mlp, Op(dispatch, exchangesAsCollectives));
        ops.Insert(mlp, Op(router, exchange: false));
        return ops.ToArray();
    }
}
