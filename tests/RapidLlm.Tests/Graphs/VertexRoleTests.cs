using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Graphs.Overlap;
using RapidLlm.Memory;
using RapidLlm.Tests.Memory;

namespace RapidLlm.Tests.Graphs;

/// <summary>
/// Graph passes decide by a vertex's role, never by its display name: the same pipeline graph with every vertex
/// renamed gives the same step time, the same flattened graph and the same memory estimate, in shapes that exercise
/// every role (layers, embedding, LM head and optimizer across stages, ZeRO-3 gathers of both directions, attention
/// under context-parallel overlap).
/// </summary>
public class VertexRoleTests
{
    [TestCase("M08_dp4_zero3")]
    [TestCase("M10_pp2_mb2")]
    [TestCase("M12_tp2_cp2_pp2_mb2_recompute")]
    [TestCase("M15_inf_pp2_noflash")]
    public void Renaming_every_vertex_changes_no_estimate(string caseName)
    {
        var golden = MemoryGoldenCase.Load(caseName);
        var pipeline = golden.PipelineGraph(decode: false);
        var renamed = Renamed(pipeline);
        Assert.That(renamed.Vertices.Select(v => v.Name), Is.All.StartsWith("renamed_"));

        var flattening = golden.Flattening(decode: false, new OverlapSettings(TensorParallel: 0.5, TensorSequenceParallel: 0.5, ContextParallel: 0.5));
        var timer = new MemoryGoldenCase.FixedRateTimer();
        var (time, flat, memory) = Estimate(pipeline, flattening, timer, golden);
        var (renamedTime, renamedFlat, renamedMemory) = Estimate(renamed, flattening, timer, golden);

        Assert.Multiple(() =>
        {
            Assert.That(renamedTime, Is.EqualTo(time), "step time");
            Assert.That(renamedFlat.Vertices, Has.Count.EqualTo(flat.Vertices.Count), "flattened vertices");
            Assert.That(renamedFlat.DependencyCount, Is.EqualTo(flat.DependencyCount), "flattened dependencies");
            Assert.That(renamedMemory.PeakGib, Is.EqualTo(memory.PeakGib), "peak memory");
            Assert.That(renamedMemory.Devices.Select(d => d.PeakBytes), Is.EqualTo(memory.Devices.Select(d => d.PeakBytes)), "per-device peaks");
            Assert.That(renamedMemory.EndTimeSeconds, Is.EqualTo(memory.EndTimeSeconds), "flattened step end");
        });
    }

    [TestCase("M12_tp2_cp2_pp2_mb2_recompute")]
    [TestCase("M08_dp4_zero3")]
    public void The_pipeline_builder_gives_every_compute_vertex_its_role(string caseName)
    {
        var pipeline = MemoryGoldenCase.Load(caseName).PipelineGraph(decode: false);
        var compute = pipeline.Vertices.OfType<ComputeVertex>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(compute.Where(v => v.Role == VertexRole.TransformerLayer).Select(v => v.Name), Is.All.StartsWith("transformer_layer"));
            Assert.That(compute.Where(v => v.Role == VertexRole.Embedding).Select(v => v.Name), Is.All.StartsWith("embedding"));
            Assert.That(compute.Where(v => v.Role == VertexRole.LmHead).Select(v => v.Name), Is.All.StartsWith("linear_softmax"));
            Assert.That(compute.Where(v => v.Role == VertexRole.Optimizer).Select(v => v.Name), Is.All.StartsWith("optimizer_stage"));
            Assert.That(compute.Select(v => v.Role), Has.None.EqualTo(VertexRole.Other), "every compute vertex has a role");
            Assert.That(compute.Count(v => v.Role == VertexRole.Optimizer), Is.EqualTo(pipeline.MinimumDeviceCount), "one optimizer step per stage");
            var gathers = pipeline.Vertices.OfType<CommunicationVertex>().Where(v => v.TpShard).ToList();
            Assert.That(gathers.Where(g => g.Direction == PassDirection.Backward).Select(g => g.Name), Is.All.Contains("_bwd"));
            Assert.That(gathers.Where(g => g.Direction != PassDirection.Backward).Select(g => g.Name), Is.All.Contains("_fwd"));
        });
    }

    private static (double StepSeconds, ExecutionGraph Flattened, MemorySimulationResult Memory) Estimate(
        ExecutionGraph pipeline, FlatteningInput flattening, ICommunicationTimer timer, MemoryGoldenCase golden)
    {
        var durations = CommunicationTimingPass.Time(pipeline, timer);
        var step = EventSimulator.Simulate(pipeline, durations).MakespanSeconds;
        var flat = PipelineGraphFlattener.Flatten(pipeline, durations, flattening);
        var phase = MemoryGoldenCase.Phase(golden.Simulations.First());
        var data = MemoryDataBuilder.Build(golden.Input(), phase);
        var memory = MemorySimulator.Simulate(flat, data);
        var replayed = PipelineMemoryReplay.Simulate(pipeline, flattening, data);
        if (replayed is not null)
        {
            Assert.That(replayed.Devices.Select(d => d.PeakBytes), Is.EqualTo(memory.Devices.Select(d => d.PeakBytes)), "replay matches the flattened graph");
        }

        return (step, flat, memory);
    }

    /// <summary>A copy of the graph in which every vertex has a meaningless name; roles, attributes and list orders are kept.</summary>
    private static ExecutionGraph Renamed(ExecutionGraph graph)
    {
        var (rewritable, map) = RewritableGraph.From(graph);
        foreach (var vertex in rewritable.Vertices)
        {
            vertex.Name = $"renamed_{vertex.OpId}";
        }

        return rewritable.Materialize(map[graph.Root!], graph.MinimumDeviceCount);
    }
}
