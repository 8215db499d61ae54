using RapidLlm.Common;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Graphs;

/// <summary>
/// Builds the per-rank graph of one dense transformer layer: for every (cp, tp) rank a chain
/// <c>transformer_root → op → [its collective] → next op …</c>, forward in op order and backward in
/// reverse. Names, op ids and ranks follow the reference's <c>construct_transformer_graph</c>; device
/// id = rank = tp + cp·tp (+ ep·tp·cp for MoE layers with expert-parallel ranks). Communications stay at 0 s until timed.
/// </summary>
internal static class TransformerGraphBuilder
{
    /// <summary>Builds the graph.</summary>
    /// <param name="input">Ops, mode and degrees.</param>
    /// <param name="direction">Forward only, backward only, or null for both (forward then backward on one chain).</param>
    /// <returns>The graph; its root is <c>transformer_root</c>.</returns>
    public static ExecutionGraph Build(TransformerGraphInput input, PassDirection? direction)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Ops.Count == 0)
        {
            throw new ArgumentException("A transformer graph needs at least one op.", nameof(input));
        }

        var tp = Math.Max(1, input.TensorParallel);
        var cp = Math.Max(1, input.ContextParallel);
        var ep = Math.Max(1, input.ExpertParallel);
        var forwardSpecs = Specs(input, PassDirection.Forward);
        var backwardSpecs = Specs(input, PassDirection.Backward);
        var graph = new ExecutionGraph(tp * cp * ep);
        var root = graph.Add(new RootVertex("transformer_root", 0));
        graph.DesignateRoot(root);
        var opId = 0;
        // Expert-parallel ranks are the slowest-varying coordinate, as in the AstraSim layer layout (tp, cp, ep).
        for (var slot = 0; slot < cp * ep; slot++)
        {
            var cpRank = slot % cp;
            for (var tpRank = 0; tpRank < tp; tpRank++)
            {
                var rank = tpRank + slot * tp;
                GraphVertex previous = root;
                if (direction is null or PassDirection.Forward)
                {
                    for (var i = 0; i < input.Ops.Count; i++)
                    {
                        var op = input.Ops[i];
                        previous = Chain(graph, previous, op.Name, op.ForwardSeconds, PassDirection.Forward, i == 0, forwardSpecs[i], rank, tpRank, cpRank, ref opId);
                    }
                }

                if (direction is null or PassDirection.Backward)
                {
                    for (var i = input.Ops.Count - 1; i >= 0; i--)
                    {
                        var op = input.Ops[i];
                        var first = i == input.Ops.Count - 1;
                        previous = Chain(graph, previous, op.Name, op.BackwardSeconds, PassDirection.Backward, first, backwardSpecs[i], rank, tpRank, cpRank, ref opId);
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>
    /// The collective each op sends in one direction, named <c>{op}_{forward|backward}_{kind}</c>; null
    /// when it sends nothing (no bytes, no rule entry, or a single participant).
    /// </summary>
    /// <param name="input">Ops, mode and degrees.</param>
    /// <param name="direction">Pass direction.</param>
    /// <returns>One entry per op, in op order.</returns>
    public static (string Name, CommunicationSpec Spec)?[] Specs(TransformerGraphInput input, PassDirection direction)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = new (string, CommunicationSpec)?[input.Ops.Count];
        for (var i = 0; i < input.Ops.Count; i++)
        {
            var op = input.Ops[i];
            var bytes = Math.Ceiling(direction == PassDirection.Forward ? op.ForwardCommBytes : op.BackwardCommBytes);
            if (bytes <= 0)
            {
                continue;
            }

            // One rules table serves the cost model and the graphs, so the two cannot drift apart.
            var rule = CommunicationRules.For(input.Mode, op.Name, direction == PassDirection.Forward);
            if (rule is null)
            {
                continue;
            }

            var participants = rule.Participants switch
            {
                ParallelismAxis.Tp => input.TensorParallel,
                ParallelismAxis.Cp => input.ContextParallel,
                ParallelismAxis.Dp => input.DataParallel,
                ParallelismAxis.Pp => input.PipelineStages,
                ParallelismAxis.Ep => input.ExpertRoutingGroup,
                _ => 1,
            };
            if (participants <= 1)
            {
                continue;
            }

            var name = $"{op.Name}_{(direction == PassDirection.Forward ? "forward" : "backward")}_{KindName(rule.Kind)}";
            result[i] = (name, new CommunicationSpec(rule.Kind, bytes, participants, rule.Interconnect));
        }

        return result;
    }

    /// <summary>Memory kind of a transformer op name.</summary>
    /// <param name="opName">Op name.</param>
    /// <returns>The kind, or <see cref="VertexMemoryKind.None"/>.</returns>
    public static VertexMemoryKind MemoryKindOf(string opName) => opName switch
    {
        "layernorm1" => VertexMemoryKind.LayerNorm1,
        "qkv_proj" => VertexMemoryKind.QkvProjection,
        "attention" => VertexMemoryKind.Attention,
        "output_proj" => VertexMemoryKind.OutputProjection,
        "layernorm2" => VertexMemoryKind.LayerNorm2,
        "MLP" => VertexMemoryKind.Mlp,
        "router" => VertexMemoryKind.Router,
        _ => VertexMemoryKind.None,
    };

    /// <summary>Role of a transformer op's vertex: attention, or another layer operator.</summary>
    /// <param name="opName">Op name.</param>
    /// <returns>The role.</returns>
    public static VertexRole RoleOf(string opName) =>
        MemoryKindOf(opName) == VertexMemoryKind.Attention ? VertexRole.Attention : VertexRole.LayerOperator;

    private static GraphVertex Chain(
        ExecutionGraph graph,
        GraphVertex previous,
        string opName,
        double seconds,
        PassDirection direction,
        bool paramGather,
        (string Name, CommunicationSpec Spec)? comm,
        int rank,
        int tpRank,
        int cpRank,
        ref int opId)
    {
        var forward = direction == PassDirection.Forward;
        var node = graph.Add(new ComputeVertex($"{opName}_{(forward ? "fwd" : "bwd")}_rank{rank}", opId++, rank, seconds)
        {
            IsForward = forward,
            MemoryKind = MemoryKindOf(opName),
            Role = RoleOf(opName),
            IsParamGather = paramGather,
            TpRank = tpRank,
            CpRank = cpRank,
        });
        graph.Connect(previous, node);
        if (comm is not { } c)
        {
            return node;
        }

        var edge = graph.Add(new CommunicationVertex(c.Name, opId++, c.Spec.Kind, c.Spec.SizeBytes, c.Spec.Participants, c.Spec.Axis)
        {
            LocalHardwareId = rank,
            TpRank = tpRank,
            CpRank = cpRank,
        });
        graph.Connect(node, edge);
        return edge;
    }

    private static string KindName(CollectiveKind kind) => kind switch
    {
        CollectiveKind.AllReduce => "all_reduce",
        CollectiveKind.AllGather => "all_gather",
        CollectiveKind.ReduceScatter => "reduce_scatter",
        CollectiveKind.AllToAll => "all_to_all",
        _ => "pipeline",
    };
}
