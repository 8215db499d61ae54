using RapidLlm.Common;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Graphs.Overlap;

/// <summary>
/// Rewrites a per-rank graph so that tensor-parallel and context-parallel collectives overlap with
/// compute, as the reference does before simulating:
/// <list type="bullet">
/// <item>TP: an op followed by tp collectives is split into a head (1−overlap of its time) that issues
/// the collectives and a tail (overlap) that runs while they are in flight; the collectives' successors
/// then wait for the tail too. Overlap ≥ 1 moves the collectives up to the op's parents instead.</item>
/// <item>CP: a cp collective feeding attention is split into a blocking part (ceil of 1−overlap of the
/// bytes) that attention waits for and an overlapped remainder that only the later successors wait for.</item>
/// </list>
/// List orders (which drive the scheduler's FIFO) follow the reference's append/remove semantics.
/// </summary>
internal static class OverlapRewriter
{
    /// <summary>Returns a rewritten copy of <paramref name="graph"/>; the input is not modified.</summary>
    /// <param name="graph">A per-rank graph with a root.</param>
    /// <param name="mode">Parallelism mode (selects which overlap factor applies).</param>
    /// <param name="settings">Overlap factors.</param>
    /// <returns>The rewritten graph (the same instance when nothing applies).</returns>
    public static ExecutionGraph Apply(ExecutionGraph graph, ParallelismMode mode, OverlapSettings settings)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(settings);
        var root = graph.Root ?? throw new ArgumentException("The graph has no root.", nameof(graph));
        if (TensorOverlap(mode, settings) <= 0 && ContextOverlap(mode, settings) <= 0)
        {
            return graph;
        }

        var (rewritable, map) = RewritableGraph.From(graph);
        Apply(rewritable, map[root], mode, settings);
        return rewritable.Materialize(map[root], graph.MinimumDeviceCount);
    }

    internal static void Apply(RewritableGraph graph, RewritableVertex root, ParallelismMode mode, OverlapSettings settings)
    {
        var tp = TensorOverlap(mode, settings);
        if (tp > 0)
        {
            foreach (var node in DepthFirst(root))
            {
                if (node.Type != RewritableVertexType.Compute)
                {
                    continue;
                }

                var tpChildren = RewritableGraph.ChildrenOf(node)
                    .Where(c => c.Type == RewritableVertexType.Communication && c.Axis == ParallelismAxis.Tp)
                    .ToList();
                if (tpChildren.Count > 0)
                {
                    SplitTensorParallelNode(graph, node, tpChildren, tp);
                }
            }
        }

        var cp = ContextOverlap(mode, settings);
        if (cp > 0)
        {
            foreach (var edge in DepthFirst(root))
            {
                if (edge.Type == RewritableVertexType.Communication && edge.Axis == ParallelismAxis.Cp)
                {
                    SplitContextParallelEdge(graph, edge, cp);
                }
            }
        }
    }

    private static double TensorOverlap(ParallelismMode mode, OverlapSettings s) => mode switch
    {
        ParallelismMode.TensorSequence => s.TensorSequenceParallel,
        ParallelismMode.Tensor or ParallelismMode.TensorContextHybrid => s.TensorParallel,
        _ => 0,
    };

    private static double ContextOverlap(ParallelismMode mode, OverlapSettings s) =>
        mode is ParallelismMode.Context or ParallelismMode.TensorContextHybrid ? s.ContextParallel : 0;

    /// <summary>Vertices in the reference's collection order: a LIFO stack seeded with the root, children pushed in list order.</summary>
    private static List<RewritableVertex> DepthFirst(RewritableVertex root)
    {
        var order = new List<RewritableVertex>();
        var seen = new HashSet<RewritableVertex>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<RewritableVertex>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            if (!seen.Add(v))
            {
                continue;
            }

            order.Add(v);
            foreach (var e in v.Children)
            {
                stack.Push(e.Child);
            }
        }

        return order;
    }

    private static void SplitTensorParallelNode(RewritableGraph graph, RewritableVertex node, List<RewritableVertex> tpChildren, double overlap)
    {
        var duration = node.DurationSeconds;
        if (duration <= 0)
        {
            return;
        }

        if (overlap >= 1)
        {
            // Fully hidden: the collectives start with the op (same parents) and its successors wait for the op.
            var parents = RewritableGraph.ParentsOf(node);
            var successors = new List<RewritableVertex>();
            foreach (var comm in tpChildren)
            {
                RewritableGraph.Disconnect(node, comm);
                foreach (var parent in parents)
                {
                    graph.ConnectOnce(parent, comm);
                }

                successors.AddRange(RewritableGraph.ChildrenOf(comm));
            }

            foreach (var successor in successors)
            {
                graph.ConnectOnce(node, successor);
            }

            return;
        }

        var headSeconds = duration * (1.0 - overlap);
        var tailSeconds = duration * overlap;
        if (headSeconds <= 0 || tailSeconds <= 0)
        {
            return;
        }

        var tail = node;
        tail.DurationSeconds = tailSeconds;
        var head = graph.Add(new RewritableVertex(RewritableVertexType.Compute, tail.Name + "_head", tail.OpId)
        {
            DurationSeconds = headSeconds,
            Role = tail.Role,
            HardwareId = tail.HardwareId,
            IsForward = tail.IsForward,
            MicroBatch = tail.MicroBatch,
            Layer = tail.Layer,
            Direction = tail.Direction,
            Stage = tail.Stage,
            TpRank = tail.TpRank,
            CpRank = tail.CpRank,
            MemoryKind = tail.MemoryKind,
            IsRecompute = tail.IsRecompute,
            IsParamGather = tail.IsParamGather,
        });

        foreach (var parent in RewritableGraph.ParentsOf(tail))
        {
            RewritableGraph.Disconnect(parent, tail);
            graph.ConnectOnce(parent, head);
        }

        graph.ConnectOnce(head, tail);
        foreach (var comm in tpChildren)
        {
            RewritableGraph.Disconnect(tail, comm);
            graph.ConnectOnce(head, comm);
            foreach (var successor in RewritableGraph.ChildrenOf(comm))
            {
                graph.ConnectOnce(tail, successor);
            }
        }
    }

    private static void SplitContextParallelEdge(RewritableGraph graph, RewritableVertex edge, double overlap)
    {
        var attention = RewritableGraph.ChildrenOf(edge)
            .Where(c => c.Type == RewritableVertexType.Compute && c.Role == VertexRole.Attention)
            .ToList();
        if (attention.Count == 0)
        {
            return;
        }

        var totalBytes = (long)edge.SizeBytes;
        var predecessors = RewritableGraph.ParentsOf(edge);
        var successors = RewritableGraph.ChildrenOf(edge);
        var blockBytes = (long)Math.Ceiling(totalBytes * (1.0 - overlap));
        if (overlap >= 1 || totalBytes <= 0 || blockBytes <= 0)
        {
            // Fully hidden: attention starts with the collective; later successors wait for both.
            foreach (var a in attention)
            {
                RewritableGraph.Disconnect(edge, a);
                foreach (var p in predecessors)
                {
                    graph.ConnectOnce(p, a);
                }
            }

            foreach (var s in successors)
            {
                if (attention.Contains(s))
                {
                    continue;
                }

                foreach (var a in attention)
                {
                    graph.ConnectOnce(a, s);
                }

                graph.ConnectOnce(edge, s);
            }

            return;
        }

        var overlappedBytes = Math.Max(0, totalBytes - blockBytes);
        var block = graph.Add(SplitPart(edge, "_block", blockBytes));
        var overlapped = overlappedBytes > 0 ? graph.Add(SplitPart(edge, "_ovlp", overlappedBytes)) : null;
        foreach (var p in predecessors)
        {
            RewritableGraph.Disconnect(p, edge);
            graph.ConnectOnce(p, block);
        }

        foreach (var a in attention)
        {
            RewritableGraph.Disconnect(edge, a);
            graph.ConnectOnce(block, a);
        }

        if (overlapped is not null)
        {
            graph.ConnectOnce(block, overlapped);
        }

        foreach (var s in successors)
        {
            if (attention.Contains(s))
            {
                continue;
            }

            RewritableGraph.Disconnect(edge, s);
            foreach (var a in attention)
            {
                graph.ConnectOnce(a, s);
            }

            graph.ConnectOnce(overlapped ?? block, s);
        }
    }

    private static RewritableVertex SplitPart(RewritableVertex edge, string suffix, long bytes) =>
        new(RewritableVertexType.Communication, edge.Name + suffix, edge.OpId)
        {
            DurationSeconds = 0,
            Role = edge.Role,
            Kind = edge.Kind,
            SizeBytes = bytes,
            Participants = edge.Participants,
            Axis = edge.Axis,
            IsDataParallel = edge.IsDataParallel,
            LocalHardwareId = edge.LocalHardwareId,
            Stage = edge.Stage,
            MicroBatch = edge.MicroBatch,
            Layer = edge.Layer,
            Direction = edge.Direction,
            TpRank = edge.TpRank,
            CpRank = edge.CpRank,
        };
}
