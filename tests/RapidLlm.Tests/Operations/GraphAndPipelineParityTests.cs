using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Tests.Operations;

/// <summary>Transformer-graph operator grouping and pipeline communication sizes against the golden graph tables.</summary>
[TestFixture]
public sealed class GraphAndPipelineParityTests
{
    private const string Kind = "op_timings";

    private static IEnumerable<string> Cases() => GoldenCase.Names(Kind);

    private static string AxisName(ParallelismAxis axis) => axis.ToString().ToLowerInvariant();

    [TestCaseSource(nameof(Cases))]
    public void GraphOperatorsCarryTheReferenceCollectives(string name)
    {
        var golden = GoldenCase.Load(Kind, name);
        var workload = golden.LayerWorkload();
        var costs = LayerCostEstimator.Estimate(workload, golden.Models());
        var ops = TransformerGraphOps.Build(costs, workload);
        var expected = golden.Result.GetProperty("comm_by_graph_op");
        Assert.That(ops.Select(o => o.Name), Is.EqualTo(expected.EnumerateObject().Select(p => p.Name)));
        foreach (var op in ops)
        {
            var e = expected.GetProperty(op.Name);
            Check(op.Name + " forward", op.Forward, e.GetProperty("forward"), e.GetProperty("forward_duration"), e.GetProperty("forward_reduction"));
            Check(op.Name + " backward", op.Backward, e.GetProperty("backward"), e.GetProperty("backward_duration"), e.GetProperty("backward_reduction"));
        }
    }

    private static void Check(string what, GraphOpDirection actual, JsonElement comms, JsonElement duration, JsonElement reduction)
    {
        Assert.That(Parity.Close(duration.GetDouble(), actual.DurationSeconds), $"{what} duration");
        Assert.That(Parity.Close(reduction.GetDouble(), actual.ReductionSeconds), $"{what} reduction");
        var expected = comms.EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("kind").GetString(), c.GetProperty("size_bytes").GetInt64(),
                c.GetProperty("participants").GetInt32(), c.GetProperty("interconnect").GetString()))
            .ToList();
        var got = actual.Comms
            .Select(c => ((string?)c.Name, (string?)TransformerGraphOps.KindName(c.Kind), c.SizeBytes, c.Participants, (string?)AxisName(c.Interconnect)))
            .ToList();
        Assert.That(got, Is.EqualTo(expected), what);
    }

    [TestCaseSource(nameof(Cases))]
    public void PipelineCommSizesMatchTheReference(string name)
    {
        var golden = GoldenCase.Load(Kind, name);
        var sizes = PipelineCommSizes.For(golden.LayerWorkload());
        var meta = golden.Result.GetProperty("pipeline_graph_tables").GetProperty("comm_metadata");
        double Size(string key) => meta.GetProperty(key).GetProperty("size").GetDouble();
        var syncKind = TransformerGraphOps.KindName(sizes.GradientSyncKind);
        Assert.Multiple(() =>
        {
            Assert.That(sizes.CrossLayerBytes, Is.EqualTo(Size("cross_layer")), "cross_layer");
            Assert.That(sizes.TransformerGradSyncBytes, Is.EqualTo(Size("transformer_dense")), "transformer");
            Assert.That(sizes.EmbeddingGradSyncBytes, Is.EqualTo(Size("embedding")), "embedding");
            Assert.That(sizes.SoftmaxGradSyncBytes, Is.EqualTo(Size("softmax")), "softmax");
            Assert.That(meta.GetProperty("transformer_dense").GetProperty("type").GetString(), Is.EqualTo(syncKind), "sync kind");
            foreach (var (key, bytes) in new[]
                     {
                         ("transformer_gather", sizes.TransformerGatherBytes), ("embedding_gather", sizes.EmbeddingGatherBytes),
                         ("softmax_gather", sizes.SoftmaxGatherBytes),
                     })
            {
                foreach (var stage in new[] { 2, 3 })
                {
                    var present = meta.TryGetProperty($"zero{stage}_{key}", out var entry);
                    var expectedBytes = present ? entry.GetProperty("size").GetDouble() : 0.0;
                    var actualBytes = sizes.ZeroStage == stage ? bytes : 0.0;
                    Assert.That(actualBytes, Is.EqualTo(expectedBytes), $"zero{stage}_{key}");
                }
            }
        });
    }
}
