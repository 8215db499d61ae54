using RapidLlm.Graphs;

namespace RapidLlm.Tests.Graphs;

/// <summary>Numbers a built graph the way the golden dumps do (BFS from the roots over child lists).</summary>
internal static class GoldenGraphComparer
{
    public static List<GraphVertex> BreadthFirst(ExecutionGraph graph, IEnumerable<GraphVertex> roots)
    {
        var order = new List<GraphVertex>();
        var seen = new HashSet<GraphVertex>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<GraphVertex>();
        foreach (var r in roots)
        {
            if (seen.Add(r))
            {
                queue.Enqueue(r);
                order.Add(r);
            }
        }

        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var c in graph.Children(v))
            {
                if (seen.Add(c))
                {
                    queue.Enqueue(c);
                    order.Add(c);
                }
            }
        }

        return order;
    }

    public static string TypeOf(GraphVertex v) => v switch
    {
        ComputeVertex => "node",
        CommunicationVertex => "edge",
        _ => "data_batch",
    };

    /// <summary>Returns the list of structural differences (empty when identical).</summary>
    public static List<string> StructureDifferences(ExecutionGraph graph, List<GraphVertex> order, GoldenGraph golden, bool checkDurations)
    {
        var diffs = new List<string>();
        if (order.Count != golden.Objects.Length)
        {
            diffs.Add($"object count {order.Count} != {golden.Objects.Length}");
        }

        var ids = new Dictionary<GraphVertex, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < order.Count; i++)
        {
            ids[order[i]] = i;
        }

        var n = Math.Min(order.Count, golden.Objects.Length);
        for (var i = 0; i < n && diffs.Count < 20; i++)
        {
            var v = order[i];
            var g = golden.Objects[i];
            void Check(bool ok, string what)
            {
                if (!ok)
                {
                    diffs.Add($"#{i} {g.Name}: {what}");
                }
            }

            Check(v.Name == g.Name, $"name {v.Name}");
            Check(TypeOf(v) == g.Type, $"type {TypeOf(v)}");
            if (v is not RootVertex)
            {
                Check(v.OpId == g.OpId, $"op id {v.OpId} != {g.OpId}");
            }

            var parents = graph.Parents(v).Select(p => ids.TryGetValue(p, out var id) ? id : -1).ToArray();
            var children = graph.Children(v).Select(c => ids[c]).ToArray();
            Check(parents.SequenceEqual(g.Parents), $"parents [{string.Join(",", parents)}] != [{string.Join(",", g.Parents)}]");
            Check(children.SequenceEqual(g.Children), $"children [{string.Join(",", children)}] != [{string.Join(",", g.Children)}]");
            switch (v)
            {
                case ComputeVertex c:
                    Check(c.HardwareId == g.HwId, $"hw {c.HardwareId} != {g.HwId}");
                    Check(c.IsForward == g.Forward, "fwd flag");
                    Check(c.IsRecompute == g.Recompute, "recompute flag");
                    Check(c.IsParamGather == g.ParamGather, "param_gather flag");
                    Check(MemKindName(c.MemoryKind) == g.MemKind, $"mem kind {c.MemoryKind}");
                    if (checkDurations)
                    {
                        Check(c.DurationSeconds == g.Duration, $"duration {c.DurationSeconds:R} != {g.Duration:R}");
                    }

                    if (g.Attrs is { } attrs)
                    {
                        if (attrs.TryGetProperty("micro_batch_index", out var mb))
                        {
                            Check(c.MicroBatch == mb.GetInt32(), "micro batch");
                        }

                        if (attrs.TryGetProperty("layer_index", out var li))
                        {
                            Check(c.Layer == li.GetInt32(), "layer");
                        }

                        if (attrs.TryGetProperty("stage_id", out var st))
                        {
                            Check(c.Stage == st.GetInt32(), "stage");
                        }

                        if (attrs.TryGetProperty("tp_rank", out var tr))
                        {
                            Check(c.TpRank == tr.GetInt32(), "tp rank");
                        }

                        if (attrs.TryGetProperty("cp_rank", out var cr))
                        {
                            Check(c.CpRank == cr.GetInt32(), "cp rank");
                        }
                    }

                    break;
                case CommunicationVertex e:
                    Check(GoldenTables.KindName(e.Kind) == g.CommType, $"comm type {e.Kind}");
                    Check(e.SizeBytes == g.CommSizeBytes, $"size {e.SizeBytes} != {g.CommSizeBytes}");
                    Check(e.Participants == g.Participants, $"participants {e.Participants}");
                    Check((e.Axis is { } a ? GoldenTables.AxisName(a) : null) == g.Interconnect, $"axis {e.Axis}");
                    Check(e.IsDataParallel == g.IsDp, "is_dp");
                    int? localHw = g.Attrs is { } ea && ea.TryGetProperty("local_hw_id", out var lh) ? lh.GetInt32() : null;
                    Check(e.LocalHardwareId == localHw, $"local hw {e.LocalHardwareId} != {localHw}");
                    var tpShard = g.Attrs is { } ta && ta.TryGetProperty("tp_shard", out var ts) && ts.GetBoolean();
                    Check(e.TpShard == tpShard, "tp_shard");
                    break;
            }
        }

        return diffs;
    }

    public static string? MemKindName(VertexMemoryKind kind) => kind switch
    {
        VertexMemoryKind.None => null,
        VertexMemoryKind.Transformer => "transformer",
        VertexMemoryKind.Embedding => "embedding",
        VertexMemoryKind.Softmax => "softmax",
        VertexMemoryKind.Optimizer => "optimizer",
        VertexMemoryKind.LayerNorm1 => "layernorm1",
        VertexMemoryKind.QkvProjection => "qkv_proj",
        VertexMemoryKind.Attention => "attention",
        VertexMemoryKind.OutputProjection => "output_proj",
        VertexMemoryKind.LayerNorm2 => "layernorm2",
        VertexMemoryKind.Mlp => "MLP",
        VertexMemoryKind.Router => "router",
        _ => kind.ToString(),
    };

    public static bool Close(double actual, double expected, double relative = 1e-12) =>
        actual == expected || Math.Abs(actual - expected) <= relative * Math.Max(Math.Abs(actual), Math.Abs(expected));
}
