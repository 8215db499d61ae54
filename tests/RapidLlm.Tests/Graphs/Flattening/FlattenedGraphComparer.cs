using System.Text.Json;
using RapidLlm.Graphs;

namespace RapidLlm.Tests.Graphs.Flattening;

/// <summary>Compares a flattened graph (in golden BFS numbering) with a flattened_memory.json dump.</summary>
internal static class FlattenedGraphComparer
{
    public static List<string> Differences(ExecutionGraph graph, List<GraphVertex> order, GoldenGraph golden)
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
            Check(GoldenGraphComparer.TypeOf(v) == g.Type, $"type {GoldenGraphComparer.TypeOf(v)}");
            Check(v.OpId == g.OpId, $"op id {v.OpId} != {g.OpId}");
            var parents = graph.Parents(v).Select(p => ids.TryGetValue(p, out var id) ? id : -1).ToArray();
            var children = graph.Children(v).Select(c => ids[c]).ToArray();
            Check(parents.SequenceEqual(g.Parents), $"parents [{string.Join(",", parents)}] != [{string.Join(",", g.Parents)}]");
            Check(children.SequenceEqual(g.Children), $"children [{string.Join(",", children)}] != [{string.Join(",", g.Children)}]");
            Check(GoldenGraphComparer.Close(v.DurationSeconds, g.Duration), $"duration {v.DurationSeconds:R} != {g.Duration:R}");
            switch (v)
            {
                case ComputeVertex c:
                    Check(c.HardwareId == g.HwId, $"hw {c.HardwareId} != {g.HwId}");
                    Check(c.IsForward == g.Forward, "fwd flag");
                    Check(c.IsRecompute == g.Recompute, "recompute flag");
                    Check(c.IsParamGather == g.ParamGather, "param_gather flag");
                    Check(GoldenGraphComparer.MemKindName(c.MemoryKind) == g.MemKind, $"mem kind {c.MemoryKind}");
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

                        if (attrs.TryGetProperty("tp_rank", out var tr))
                        {
                            Check(c.TpRank == tr.GetInt32(), "tp rank");
                        }
                    }

                    break;
                case CommunicationVertex e:
                    Check(GoldenTables.KindName(e.Kind) == g.CommType, $"comm type {e.Kind}");
                    Check(e.SizeBytes == g.CommSizeBytes, $"size {e.SizeBytes} != {g.CommSizeBytes}");
                    Check(e.Participants == g.Participants, $"participants {e.Participants}");
                    Check((e.Axis is { } a ? GoldenTables.AxisName(a) : null) == g.Interconnect, $"axis {e.Axis}");
                    Check(e.IsDataParallel == g.IsDp, "is_dp");
                    int? localHw = g.Attrs is { } ea && ea.TryGetProperty("local_hw_id", out var lh) && lh.ValueKind == JsonValueKind.Number ? lh.GetInt32() : null;
                    Check(e.LocalHardwareId == localHw, $"local hw {e.LocalHardwareId} != {localHw}");
                    var tpShard = g.Attrs is { } ta && ta.TryGetProperty("tp_shard", out var ts) && ts.GetBoolean();
                    Check(e.TpShard == tpShard, "tp_shard");
                    var crossLayer = g.Attrs is { } ca && ca.TryGetProperty("is_cross_layer", out var cl) && cl.GetBoolean();
                    Check(e.IsCrossLayer == crossLayer, "is_cross_layer");
                    break;
            }
        }

        return diffs;
    }
}
