using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>A collective edge of the transformer graph.</summary>
/// <param name="Name">Edge key, <c>{op}_{direction}_{kind}</c>.</param>
/// <param name="Kind">The collective.</param>
/// <param name="SizeBytes">Bytes (rounded up).</param>
/// <param name="Participants">Ranks.</param>
/// <param name="Interconnect">Axis whose network carries it.</param>
internal sealed record GraphCommSpec(string Name, CollectiveKind Kind, long SizeBytes, int Participants, ParallelismAxis Interconnect);

/// <summary>One direction of a transformer-graph operator.</summary>
/// <param name="DurationSeconds">Compute time (the node duration).</param>
/// <param name="ReductionSeconds">Communication time the analytical model charges.</param>
/// <param name="CommBytes">Bytes the operator communicates.</param>
/// <param name="Comms">Collective edges after the node (empty when the mode issues none).</param>
internal sealed record GraphOpDirection(double DurationSeconds, double ReductionSeconds, long CommBytes, EquatableArray<GraphCommSpec> Comms)
{
    /// <summary>An absent direction (forward-only graphs).</summary>
    public static GraphOpDirection Empty { get; } = new(0, 0, 0, EquatableArray<GraphCommSpec>.Empty);
}

/// <summary>An operator of the per-layer transformer graph.</summary>
/// <param name="Name"><c>layernorm1</c>, <c>qkv_proj</c>, <c>attention</c>, <c>output_proj</c>, <c>layernorm2</c> or <c>MLP</c>.</param>
/// <param name="Forward">Forward direction.</param>
/// <param name="Backward">Backward direction (<see cref="GraphOpDirection.Empty"/> when forward-only).</param>
internal sealed record TransformerGraphOp(string Name, GraphOpDirection Forward, GraphOpDirection Backward);

/// <summary>Groups a layer's operator costs into the transformer graph's six operators and attaches their collectives.</summary>
internal static class TransformerGraphOps
{
    /// <summary>The graph operators in chain order; MLP is ffn1 + gelu + ffn2.</summary>
    public static IReadOnlyList<string> Names { get; } = ["layernorm1", "qkv_proj", "attention", "output_proj", "layernorm2", "MLP"];

    /// <summary>Builds the six graph operators.</summary>
    /// <param name="mode">Parallelism mode.</param>
    /// <param name="parallelism">Degrees, which give the participants.</param>
    /// <param name="layerNorm1">layernorm1.</param>
    /// <param name="qkv">qkv_proj.</param>
    /// <param name="attention">attention.</param>
    /// <param name="outputProjection">output_proj.</param>
    /// <param name="layerNorm2">layernorm2.</param>
    /// <param name="mlpMembers">ffn1, gelu and ffn2.</param>
    /// <param name="includeBackward">False for forward-only graphs (prefill, decode): backward entries are empty.</param>
    /// <returns>The operators in chain order.</returns>
    public static EquatableArray<TransformerGraphOp> Build(
        ParallelismMode mode,
        ParallelismDegrees parallelism,
        OperationCost layerNorm1,
        OperationCost qkv,
        OperationCost attention,
        OperationCost outputProjection,
        OperationCost layerNorm2,
        IReadOnlyList<OperationCost> mlpMembers,
        bool includeBackward)
    {
        var mlp = Group("MLP", mlpMembers);
        OperationCost[] ops = [layerNorm1, qkv, attention, outputProjection, layerNorm2, mlp];
        return ops.Select(op => new TransformerGraphOp(op.Name,
                Direction(mode, parallelism, op.Name, op.Forward, forward: true),
                includeBackward && op.Backward is { } b ? Direction(mode, parallelism, op.Name, b, forward: false) : GraphOpDirection.Empty))
            .ToArray();
    }

    /// <summary>Builds the six graph operators of a layer costing; only training graphs carry a backward direction.</summary>
    /// <param name="costs">The layer costs.</param>
    /// <param name="workload">The workload they were computed for.</param>
    /// <returns>The operators in chain order.</returns>
    public static EquatableArray<TransformerGraphOp> Build(LayerOperationCosts costs, TransformerWorkload workload) =>
        Build(costs.Mode, workload.Parallelism, costs.LayerNorm1, costs.QkvProjection, costs.Attention, costs.OutputProjection,
            costs.LayerNorm2, [costs.Ffn1, costs.Activation, costs.Ffn2], includeBackward: workload.Phase == RunPhase.Training);

    /// <summary>Builds the forward-only graph operators of a decode step.</summary>
    /// <param name="step">The decode step costs.</param>
    /// <param name="parallelism">Degrees.</param>
    /// <returns>The operators in chain order.</returns>
    public static EquatableArray<TransformerGraphOp> Build(DecodeStepCosts step, ParallelismDegrees parallelism)
    {
        OperationCost Op(string name) => step.Find(name) ?? throw new InvalidOperationException($"Decode step lacks {name}.");
        return Build(step.Mode, parallelism, Op("layernorm1"), Op("qkv_proj"), Op("attention"), Op("output_proj"),
            Op("layernorm2"), [Op("ffn1"), Op("gelu"), Op("ffn2")], includeBackward: false);
    }

    private static OperationCost Group(string name, IReadOnlyList<OperationCost> members)
    {
        DirectionCost Sum(Func<OperationCost, DirectionCost?> pick)
        {
            double compute = 0, comm = 0, flops = 0;
            long bytes = 0;
            var memory = MemoryAccessBytes.None;
            foreach (var m in members)
            {
                var d = pick(m)!;
                compute += d.ComputeTimeSeconds;
                comm += d.CommTimeSeconds;
                bytes += d.CommBytes;
                flops += d.Flops;
                memory = memory.Plus(d.MemoryAccesses);
            }
            return new DirectionCost(compute, comm, bytes, flops, memory, members.SelectMany(m => pick(m)!.Collectives).ToArray());
        }
        var hasBackward = members.All(m => m.Backward is not null);
        return new OperationCost(name, Sum(m => m.Forward), hasBackward ? Sum(m => m.Backward) : null);
    }

    private static GraphOpDirection Direction(ParallelismMode mode, ParallelismDegrees p, string name, DirectionCost cost, bool forward)
    {
        var comms = EquatableArray<GraphCommSpec>.Empty;
        if (cost.CommBytes > 0 && CommunicationRules.For(mode, name, forward) is { } rule && p.Degree(rule.Participants) > 1)
        {
            var direction = forward ? "forward" : "backward";
            comms = new[]
            {
                new GraphCommSpec($"{name}_{direction}_{KindName(rule.Kind)}", rule.Kind, cost.CommBytes,
                    p.Degree(rule.Participants), rule.Interconnect),
            };
        }
        return new GraphOpDirection(cost.ComputeTimeSeconds, cost.CommTimeSeconds, cost.CommBytes, comms);
    }

    /// <summary>The reference's collective name (<c>all_reduce</c>, …).</summary>
    /// <param name="kind">The collective.</param>
    /// <returns>Its snake-case name.</returns>
    public static string KindName(CollectiveKind kind) => kind switch
    {
        CollectiveKind.AllReduce => "all_reduce",
        CollectiveKind.AllGather => "all_gather",
        CollectiveKind.ReduceScatter => "reduce_scatter",
        CollectiveKind.AllToAll => "all_to_all",
        _ => "pipeline",
    };
}
