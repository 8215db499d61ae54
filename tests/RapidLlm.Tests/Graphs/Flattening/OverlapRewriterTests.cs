using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Overlap;
using RapidLlm.Operations;

namespace RapidLlm.Tests.Graphs.Flattening;

/// <summary>TP head/tail splits and CP block/overlap splits on a small per-rank graph.</summary>
public class OverlapRewriterTests
{
    private static ExecutionGraph Layer(ParallelismMode mode, int tp, int cp) =>
        TransformerGraphBuilder.Build(new TransformerGraphInput
        {
            Ops = new EquatableArray<TransformerOpTiming>(
            [
                new TransformerOpTiming("qkv_proj", 1.0, 2.0, 0, 0),
                new TransformerOpTiming("attention", 4.0, 8.0, 0, 0),
                new TransformerOpTiming("output_proj", 2.0, 4.0, 1000, 0),
                new TransformerOpTiming("MLP", 3.0, 6.0, 1000, 0),
            ]),
            Mode = mode,
            TensorParallel = tp,
            ContextParallel = cp,
        }, PassDirection.Forward);

    [Test]
    public void PartialTensorOverlapSplitsHeadAndTail()
    {
        var graph = OverlapRewriter.Apply(Layer(ParallelismMode.Tensor, 2, 1), ParallelismMode.Tensor, new OverlapSettings(TensorParallel: 0.25));
        var head = graph.Vertices.OfType<ComputeVertex>().Single(v => v.Name == "output_proj_fwd_rank0_head");
        var tail = graph.Vertices.OfType<ComputeVertex>().Single(v => v.Name == "output_proj_fwd_rank0");
        Assert.Multiple(() =>
        {
            Assert.That(head.DurationSeconds, Is.EqualTo(1.5));
            Assert.That(tail.DurationSeconds, Is.EqualTo(0.5));
            Assert.That(head.OpId, Is.EqualTo(tail.OpId));
            Assert.That(graph.Children(head).Select(c => c.Name), Is.EqualTo(new[] { "output_proj_fwd_rank0", "output_proj_forward_all_reduce" }));
            // MLP is split too, so its head (which took over MLP's parents) waits for the collective and the tail.
            Assert.That(graph.Children(tail).Select(c => c.Name), Is.EqualTo(new[] { "MLP_fwd_rank0_head" }));
            Assert.That(graph.Parents(graph.Vertices.Single(v => v.Name == "MLP_fwd_rank0_head")).Select(p => p.Name),
                Is.EqualTo(new[] { "output_proj_forward_all_reduce", "output_proj_fwd_rank0" }));
        });
    }

    [Test]
    public void FullTensorOverlapMovesCollectiveToTheOpsParents()
    {
        var graph = OverlapRewriter.Apply(Layer(ParallelismMode.Tensor, 2, 1), ParallelismMode.Tensor, new OverlapSettings(TensorParallel: 1.0));
        var op = graph.Vertices.Single(v => v.Name == "output_proj_fwd_rank0");
        var comm = graph.Vertices.First(v => v.Name == "output_proj_forward_all_reduce");
        Assert.Multiple(() =>
        {
            Assert.That(graph.Parents(comm).Select(p => p.Name), Is.EqualTo(new[] { "attention_fwd_rank0" }));
            // MLP's own collective moved up to MLP's parents, which include this op.
            Assert.That(graph.Children(op).Select(c => c.Name), Is.EqualTo(new[] { "MLP_fwd_rank0", "MLP_forward_all_reduce" }));
            Assert.That(graph.Vertices.Any(v => v.Name.EndsWith("_head", StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public void ZeroOverlapReturnsTheSameGraph()
    {
        var graph = Layer(ParallelismMode.Tensor, 2, 1);
        Assert.That(OverlapRewriter.Apply(graph, ParallelismMode.Tensor, OverlapSettings.None), Is.SameAs(graph));
    }

    [Test]
    public void ContextOverlapSplitsTheCollectiveFeedingAttention()
    {
        var input = new TransformerGraphInput
        {
            Ops = new EquatableArray<TransformerOpTiming>(
            [
                new TransformerOpTiming("qkv_proj", 1.0, 2.0, 1001, 0),
                new TransformerOpTiming("attention", 4.0, 8.0, 0, 0),
                new TransformerOpTiming("MLP", 3.0, 6.0, 0, 0),
            ]),
            Mode = ParallelismMode.Context,
            ContextParallel = 2,
        };
        var graph = OverlapRewriter.Apply(TransformerGraphBuilder.Build(input, PassDirection.Forward), ParallelismMode.Context, new OverlapSettings(ContextParallel: 0.5));
        var block = graph.Vertices.OfType<CommunicationVertex>().First(v => v.Name == "qkv_proj_forward_all_gather_block" && v.TpRank == 0 && v.CpRank == 0);
        var overlapped = graph.Vertices.OfType<CommunicationVertex>().First(v => v.Name == "qkv_proj_forward_all_gather_ovlp" && v.CpRank == 0);
        Assert.Multiple(() =>
        {
            Assert.That(block.SizeBytes, Is.EqualTo(501));
            Assert.That(overlapped.SizeBytes, Is.EqualTo(500));
            Assert.That(graph.Children(block).Select(c => c.Name), Is.EqualTo(new[] { "attention_fwd_rank0", "qkv_proj_forward_all_gather_ovlp" }));
        });
    }
}
