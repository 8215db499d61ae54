using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Memory;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Tests.Graphs.Flattening;

/// <summary>A 70B-sized shape (80 layers, 8 stages, 16 micro-batches, tp 8) flattens and simulates without deep recursion.</summary>
public class LargeFlatteningTests
{
    [Test]
    public void SeventyBillionShapeFlattensAndSimulates()
    {
        var ops = new[] { "layernorm1", "qkv_proj", "attention", "output_proj", "layernorm2", "MLP" }
            .Select(n => new TransformerOpTiming(n, 1e-4, 2e-4, 1e6, 1e6)).ToArray();
        var pipeline = PipelineGraphBuilder.Build(new PipelineGraphInput
        {
            LayerCount = 80,
            PipelineStages = 8,
            MicroBatches = 16,
            TensorParallel = 8,
            Durations = new PipelineNodeDurations { TransformerForwardSeconds = 6e-4, TransformerBackwardSeconds = 1.2e-3, EmbeddingForwardSeconds = 1e-4, LinearSoftmaxForwardSeconds = 1e-4, OptimizerSeconds = 1e-3 },
            Communications = new PipelineCommunications { CrossLayer = new CommunicationSpec(CollectiveKind.PointToPoint, 1e7, 2, ParallelismAxis.Pp) },
        });
        var layout = RankLayout.FromNamedAxes(FlattenedGoldenCase.GoldenAxes, 8, 1, 1, 8, 1);
        var flat = PipelineGraphFlattener.Flatten(pipeline, VertexDurations.Intrinsic(pipeline), new FlatteningInput
        {
            Transformer = new TransformerGraphInput { Ops = new EquatableArray<TransformerOpTiming>(ops), Mode = ParallelismMode.Tensor, TensorParallel = 8, PipelineStages = 8 },
            Layout = layout,
        });
        var model = new MemoryEstimatorInput { HiddenDim = 8192, IntermediateSize = 28672, Heads = 64, KeyValueHeads = 8, VocabularySize = 128256, GatedMlp = true, TensorParallel = 8, PipelineStages = 8, Layout = layout };
        var sim = MemorySimulator.Simulate(flat, MemoryDataBuilder.Build(model, MemoryPhaseInput.Training(1, 4096)));
        Assert.Multiple(() =>
        {
            Assert.That(sim.Devices, Has.Count.EqualTo(64));
            Assert.That(sim.FinishTimesSeconds.Count(double.IsNaN), Is.Zero);
            Assert.That(sim.Devices.All(d => d.EndBytes == d.StaticBytes || Math.Abs(d.EndBytes - d.StaticBytes) < 1), Is.True, "activations all freed by the end");
        });
    }
}
