using System.Diagnostics;
using RapidLlm.Common;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Tests.Graphs;

public class PipelineGraphBehaviourTests
{
    private static PipelineGraphInput Input(int layers, int pp, int mb, int dp, int zero = 1, bool recompute = false) => new()
    {
        LayerCount = layers,
        PipelineStages = pp,
        MicroBatches = mb,
        DataParallel = dp,
        ZeroStage = zero,
        FullRecompute = recompute,
        DataParallelSync = DataParallelSyncMode.EveryMicroBatch,
        Durations = new PipelineNodeDurations
        {
            EmbeddingForwardSeconds = 1e-4,
            EmbeddingBackwardSeconds = 2e-4,
            TransformerForwardSeconds = 3e-3,
            TransformerBackwardSeconds = 6e-3,
            LinearSoftmaxForwardSeconds = 2e-3,
            LinearSoftmaxBackwardSeconds = 4e-3,
            OptimizerSeconds = 1e-3,
        },
        Communications = Communications(dp, zero),
    };

    private static PipelineCommunications Communications(int dp, int zero)
    {
        var sync = zero >= 2 ? CollectiveKind.ReduceScatter : CollectiveKind.AllReduce;
        return new PipelineCommunications
        {
            CrossLayer = new CommunicationSpec(CollectiveKind.PointToPoint, 16 << 20, 2, ParallelismAxis.Pp),
            TransformerDenseSync = new CommunicationSpec(sync, 4e8, dp, ParallelismAxis.Dp),
            EmbeddingSync = new CommunicationSpec(sync, 5e8, dp, ParallelismAxis.Dp),
            SoftmaxSync = new CommunicationSpec(sync, 5e8, dp, ParallelismAxis.Dp),
            Zero2TransformerGather = zero == 2 ? new CommunicationSpec(CollectiveKind.AllGather, 2e8, dp, ParallelismAxis.Dp) : null,
            Zero2EmbeddingGather = zero == 2 ? new CommunicationSpec(CollectiveKind.AllGather, 2e8, dp, ParallelismAxis.Dp) : null,
            Zero3TransformerGather = zero == 3 ? new CommunicationSpec(CollectiveKind.AllGather, 2e8, dp, ParallelismAxis.Dp, TpShard: true) : null,
            Zero3EmbeddingGather = zero == 3 ? new CommunicationSpec(CollectiveKind.AllGather, 2e8, dp, ParallelismAxis.Dp) : null,
        };
    }

    private static double SimpleTimer(CollectiveKind kind, double bytes, int participants, ParallelismAxis axis) =>
        participants <= 1 || bytes <= 0 ? 0 : bytes / 25e9 + 5e-6;

    [Test]
    public void SingleStageChainRunsEveryMicroBatchSerially()
    {
        var input = Input(layers: 2, pp: 1, mb: 3, dp: 1);
        var graph = PipelineGraphBuilder.Build(input);
        var sim = EventSimulator.Simulate(graph);
        var d = input.Durations;
        var perMicroBatch = d.EmbeddingForwardSeconds + 2 * d.TransformerForwardSeconds + d.LinearSoftmaxForwardSeconds
            + d.LinearSoftmaxBackwardSeconds + 2 * d.TransformerBackwardSeconds + d.EmbeddingBackwardSeconds;
        var lastForward = graph.Vertices.Single(v => v.Name == "linear_softmax2");
        var firstBackwardStart = graph.Vertices.OfType<ComputeVertex>()
            .Where(v => !v.IsForward && v.MemoryKind != VertexMemoryKind.Optimizer)
            .Min(v => sim.FinishTimeSeconds(v) - v.DurationSeconds);
        Assert.Multiple(() =>
        {
            Assert.That(sim.CompletedVertexCount, Is.EqualTo(graph.Vertices.Count));
            Assert.That(sim.MakespanSeconds, Is.EqualTo(3 * perMicroBatch + d.OptimizerSeconds).Within(1e-15));
            Assert.That(sim.DeviceBusySeconds[0], Is.EqualTo(sim.MakespanSeconds).Within(1e-15));
            Assert.That(firstBackwardStart, Is.GreaterThanOrEqualTo(sim.FinishTimeSeconds(lastForward)), "GPipe: backwards after all forwards");
        });
    }

    [Test]
    public void ReferencePolicyReproducesTheUnreachableMicroBatches()
    {
        var input = Input(layers: 2, pp: 1, mb: 3, dp: 1) with { SingleStageMicroBatches = SingleStageMicroBatchPolicy.ReproduceReference };
        var graph = PipelineGraphBuilder.Build(input);
        var sim = EventSimulator.Simulate(graph);
        var embedding1 = graph.Vertices.Single(v => v.Name == "embedding1");
        Assert.Multiple(() =>
        {
            Assert.That(graph.ParentCount(embedding1), Is.Zero);
            Assert.That(double.IsNaN(sim.FinishTimeSeconds(embedding1)), Is.True);
            Assert.That(sim.CompletedVertexCount, Is.LessThan(graph.Vertices.Count));
        });
    }

    [Test]
    public void MultiStagePipelineIsUnaffectedByTheSingleStagePolicy()
    {
        var a = PipelineGraphBuilder.Build(Input(4, 2, 3, 2));
        var b = PipelineGraphBuilder.Build(Input(4, 2, 3, 2) with { SingleStageMicroBatches = SingleStageMicroBatchPolicy.ReproduceReference });
        Assert.That(a.DependencyCount, Is.EqualTo(b.DependencyCount));
    }

    [Test]
    public void ForwardOnlyGraphIsTheForwardChain()
    {
        var input = Input(layers: 4, pp: 2, mb: 1, dp: 2) with { IncludeBackward = false };
        var graph = PipelineGraphBuilder.Build(input);
        Assert.Multiple(() =>
        {
            Assert.That(graph.Root!.Name, Is.EqualTo("embedding0"));
            Assert.That(graph.Vertices.OfType<ComputeVertex>().Count(), Is.EqualTo(6));
            Assert.That(graph.Vertices.OfType<CommunicationVertex>().Any(c => c.IsDataParallel), Is.False);
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void LargeGraphSimulatesWithoutRecursion(int zero)
    {
        var input = Input(layers: 80, pp: 8, mb: 8, dp: 2, zero: zero, recompute: true);
        var graph = PipelineGraphBuilder.Build(input);
        var sim = EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, SimpleTimer));
        Assert.Multiple(() =>
        {
            Assert.That(graph.Vertices, Has.Count.GreaterThan(3000));
            Assert.That(sim.CompletedVertexCount, Is.EqualTo(graph.Vertices.Count));
            Assert.That(sim.MakespanSeconds, Is.GreaterThan(0));
        });
    }

    [Test]
    public void GpipeMakespanOfUniformPipelineWithoutCommunication()
    {
        // 4 stages × 1 layer, free transfers, equal per-stage forward/backward times: (mb + pp − 1) slots each way.
        var input = Input(layers: 4, pp: 4, mb: 4, dp: 1) with
        {
            Durations = new PipelineNodeDurations { TransformerForwardSeconds = 1, TransformerBackwardSeconds = 2 },
            IncludeOptimizer = false,
        };
        var graph = PipelineGraphBuilder.Build(input);
        var sim = EventSimulator.Simulate(graph);
        Assert.That(sim.MakespanSeconds, Is.EqualTo((4 + 4 - 1) * 1.0 + (4 + 4 - 1) * 2.0));
    }

    [Test]
    public void Llama7bSizedEstimateBuildsAndSimulatesQuickly()
    {
        var input = Input(layers: 32, pp: 4, mb: 4, dp: 2) with { TensorParallel = 2 };
        void Once()
        {
            var graph = PipelineGraphBuilder.Build(input);
            EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, SimpleTimer));
        }

        for (var i = 0; i < 5; i++)
        {
            Once();
        }

        var samples = new double[21];
        for (var i = 0; i < samples.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            Once();
            samples[i] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        TestContext.Out.WriteLine($"median build+time+simulate: {samples[samples.Length / 2]:F3} ms");
        Assert.That(samples[samples.Length / 2], Is.LessThan(5.0));
    }

    [Test]
    public void SimulatingTwiceGivesIdenticalResults()
    {
        var graph = PipelineGraphBuilder.Build(Input(8, 4, 4, 2, zero: 3));
        var a = EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, SimpleTimer));
        var b = EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, SimpleTimer));
        Assert.That(a.FinishTimesSeconds, Is.EqualTo(b.FinishTimesSeconds));
    }
}
