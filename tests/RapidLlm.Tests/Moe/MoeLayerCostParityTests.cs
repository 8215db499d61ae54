using System.Text.Json;
using RapidLlm.Operations;
using RapidLlm.Operations.Moe;
using RapidLlm.Tests.Operations;

namespace RapidLlm.Tests.Moe;

/// <summary>
/// Every operator of the dense and the MoE layer call, the node breakdowns and the MoE gradient-sync sizes, for each
/// captured MoE configuration, against the reference with its GEMM, roofline and collective results replayed.
/// </summary>
[TestFixture]
public sealed class MoeLayerCostParityTests
{
    private static IEnumerable<string> Cases() => MoeCapture.Names();

    private static List<string> Compare(JsonElement ops, Func<string, OperationCost?> find)
    {
        var bad = new List<string>();
        foreach (var op in ops.EnumerateObject())
        {
            var actual = find(op.Name);
            if (actual is null) { bad.Add($"{op.Name}: missing"); continue; }
            foreach (var dir in new[] { "forward", "backward" })
            {
                var e = op.Value.GetProperty(dir);
                var a = dir == "forward" ? actual.Forward : actual.Backward!;
                void Check(string field, double expected, double value)
                {
                    if (!Parity.Close(expected, value)) bad.Add($"{op.Name}/{dir}/{field}: {expected} vs {value}");
                }
                Check("compute_time", e.GetProperty("compute_time").GetDouble(), a.ComputeTimeSeconds);
                Check("comm_time", e.GetProperty("comm_time").GetDouble(), a.CommTimeSeconds);
                Check("comm_bytes", e.GetProperty("comm_bytes").GetDouble(), a.CommBytes);
                Check("flops", e.GetProperty("flops").GetDouble(), a.Flops);
                var mem = e.GetProperty("memory_accesses");
                var levels = mem.EnumerateObject().ToList();
                if (levels.Count == 0 && a.MemoryAccesses.IsReported && a.MemoryAccesses.PerLevel.Any(v => v != 0))
                    bad.Add($"{op.Name}/{dir}/memory: reported but the reference has none");
                for (var i = 0; i < levels.Count; i++)
                    Check($"L{i}", mem.GetProperty($"L{i}").GetDouble(), a.MemoryAccesses.At(i));
            }
        }
        return bad;
    }

    private static void CheckNodes(JsonElement expected, NodeBreakdown n, List<string> bad, string label)
    {
        void Check(string key, double value)
        {
            var e = expected.GetProperty(key).GetDouble();
            if (!Parity.Close(e, value)) bad.Add($"{label}/{key}: {e} vs {value}");
        }
        Check("transformer_time_f", n.TransformerForwardSeconds);
        Check("transformer_time_b", n.TransformerBackwardSeconds);
        Check("embedding_f", n.EmbeddingForwardSeconds);
        Check("embedding_b", n.EmbeddingBackwardSeconds);
        Check("linear_softmax_f", n.LinearSoftmaxForwardSeconds);
        Check("linear_softmax_b", n.LinearSoftmaxBackwardSeconds);
    }

    [TestCaseSource(nameof(Cases))]
    public void DenseAndMoeLayerOperatorsMatchTheReference(string name)
    {
        var capture = MoeCapture.Load(name);
        var (workload, moe, _) = capture.Workload();
        var models = capture.RecordedModels();
        Assert.That(workload.BatchSize, Is.EqualTo(capture.Root.GetProperty("effective_batch").GetInt64()));

        var dense = LayerCostEstimator.Estimate(workload, models);
        var bad = new List<string>();
        var denseCall = capture.Call(moe: false)!.Value;
        bad.AddRange(Compare(denseCall.GetProperty("ops"), dense.Find).Select(s => "dense " + s));
        CheckNodes(denseCall.GetProperty("node_breakdown"), dense.Nodes, bad, "dense");
        if (moe is not null)
        {
            var moeLayer = MoeLayerCostEstimator.Estimate(workload, moe, models);
            var moeCall = capture.Call(moe: true)!.Value;
            bad.AddRange(Compare(moeCall.GetProperty("ops"), moeLayer.Find).Select(s => "moe " + s));
            CheckNodes(moeCall.GetProperty("node_breakdown"), moeLayer.Nodes, bad, "moe");
        }
        else
        {
            Assert.That(capture.Call(moe: true), Is.Null);
        }
        Assert.That(bad, Is.Empty);
    }

    [TestCaseSource(nameof(Cases))]
    public void GradientSyncSizesMatchTheReference(string name)
    {
        var capture = MoeCapture.Load(name);
        var (workload, moe, ep) = capture.Workload();
        var sizes = moe is null ? new MoeGradientSyncSizes(0, 0, 0) : MoeGradientSyncSizes.For(workload, moe, ep);
        var meta = capture.Root.GetProperty("comm_metadata");
        double Size(string key) => meta.TryGetProperty(key, out var v) ? v.GetProperty("size").GetDouble() : 0.0;
        Assert.Multiple(() =>
        {
            if (moe is not null) Assert.That(sizes.MoeLayerDpBytes, Is.EqualTo(Size("transformer_moe")), "transformer_moe");
            Assert.That(Math.Ceiling(sizes.DenseLayerEpBytes), Is.EqualTo(Size("transformer_dense_ep_sync")), "transformer_dense_ep_sync");
            Assert.That(Math.Ceiling(sizes.MoeLayerEpBytes), Is.EqualTo(Size("transformer_moe_ep_sync")), "transformer_moe_ep_sync");
            Assert.That(PipelineCommSizes.For(workload).TransformerGradSyncBytes, Is.EqualTo(Size("transformer_dense")), "transformer_dense");
        });
    }
}
