using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Tests.Graphs;

/// <summary>Pipeline graphs G01..G05 against the reference's timed graph dumps.</summary>
public class PipelineGoldenParityTests
{
    public static readonly string[] Cases =
    [
        "G01_pp2_mb2_l4",
        "G02_dp2_zero1_everymb_l2",
        "G03_dp2_zero3_l2",
        "G04_pp2_mb2_recompute_l3",
        "G05_pp2_mb2_dp2_zero2_tp2_l4",
    ];

    internal sealed record Loaded(ExecutionGraph Graph, GoldenGraph Golden, List<GraphVertex> Order, JsonElement Result);

    internal static Loaded Load(string caseName)
    {
        var resultText = File.ReadAllText(Path.Combine(GoldenGraph.DataDirectory, caseName, "result.json"));
        var result = JsonDocument.Parse(resultText).RootElement.Clone();
        var summary = result.GetProperty("tc_summary");
        var input = GoldenTables.Input(
            result.GetProperty("pipeline_graph_tables"),
            summary.GetProperty("pp").GetInt32(),
            summary.GetProperty("dp").GetInt32(),
            summary.GetProperty("tp").GetInt32(),
            summary.GetProperty("cp").GetInt32(),
            summary.GetProperty("ep").GetInt32(),
            includeBackward: true,
            includeOptimizer: true);
        var graph = PipelineGraphBuilder.Build(input);
        var golden = GoldenGraph.Load(caseName, "pipeline.json");
        var order = GoldenGraphComparer.BreadthFirst(graph, [graph.Root!]);
        return new Loaded(graph, golden, order, result);
    }

    internal static ReferenceCollectiveModel CollectiveModel(JsonElement result)
    {
        var summary = result.GetProperty("tc_summary");
        var links = new Dictionary<ParallelismAxis, Link>();
        foreach (var p in result.GetProperty("interconnect_params").EnumerateObject())
        {
            links[GoldenTables.Axis(p.Name)] = new Link(p.Value[0].GetDouble(), p.Value[1].GetDouble());
        }

        return new ReferenceCollectiveModel(
            links,
            summary.GetProperty("th").GetDouble(),
            122.0 * (1L << 40),
            0.0,
            summary.GetProperty("O").GetDouble());
    }

    [TestCaseSource(nameof(Cases))]
    public void StructureMatchesReference(string caseName)
    {
        var loaded = Load(caseName);
        Assert.That(loaded.Golden.Roots, Is.EqualTo(new[] { 0 }));
        var diffs = GoldenGraphComparer.StructureDifferences(loaded.Graph, loaded.Order, loaded.Golden, checkDurations: true);
        Assert.That(diffs, Is.Empty, string.Join("\n", diffs));
    }

    [TestCaseSource(nameof(Cases))]
    public void CommunicationDurationsMatchCollectiveModel(string caseName)
    {
        var loaded = Load(caseName);
        var durations = CommunicationTimingPass.Time(loaded.Graph, CollectiveModel(loaded.Result));
        Assert.Multiple(() =>
        {
            for (var i = 0; i < loaded.Order.Count; i++)
            {
                if (loaded.Order[i] is CommunicationVertex comm)
                {
                    var expected = loaded.Golden.Objects[i].Duration;
                    Assert.That(GoldenGraphComparer.Close(durations[comm], expected), Is.True, $"{comm.Name}: {durations[comm]:R} vs {expected:R}");
                    Assert.That(comm.DurationSeconds, Is.Zero, $"{comm.Name}: timing leaves the vertex alone");
                }
            }
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void SimulatedFinishTimesMatchReference(string caseName)
    {
        var loaded = Load(caseName);
        // Durations straight from the dump, so this isolates the scheduler.
        var dumped = VertexDurations.WithPriced(loaded.Graph, loaded.Order
            .Select((vertex, i) => (vertex, loaded.Golden.Objects[i].Duration))
            .Where(p => p.vertex is CommunicationVertex));
        var sim = EventSimulator.Simulate(loaded.Graph, dumped);
        var expectedMakespan = loaded.Result.GetProperty("makespan_s").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(GoldenGraphComparer.Close(sim.MakespanSeconds, expectedMakespan), Is.True, $"makespan {sim.MakespanSeconds:R} vs {expectedMakespan:R}");
            for (var i = 0; i < loaded.Order.Count; i++)
            {
                var actual = sim.FinishTimeSeconds(loaded.Order[i]);
                var expected = loaded.Golden.Objects[i].FinishTime;
                Assert.That(GoldenGraphComparer.Close(actual, expected), Is.True, $"#{i} {loaded.Order[i].Name}: {actual:R} vs {expected:R}");
            }
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void TimedAndSimulatedEndToEndGivesTrainingTime(string caseName)
    {
        var loaded = Load(caseName);
        var sim = EventSimulator.Simulate(loaded.Graph, CommunicationTimingPass.Time(loaded.Graph, CollectiveModel(loaded.Result)));
        var expected = loaded.Result.GetProperty("training_time_s").GetDouble();
        Assert.That(GoldenGraphComparer.Close(sim.MakespanSeconds, expected), Is.True, $"{sim.MakespanSeconds:R} vs {expected:R}");
    }
}
