using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Tests.Graphs;

/// <summary>
/// Builds, times and simulates the pipeline graph of every op_timings golden case from its
/// <c>pipeline_graph_tables</c> and checks the reference's dispatch makespans.
/// </summary>
public class OpTimingsSimulationTests
{
    private static readonly Lazy<JsonElement[]> AllCases = new(() =>
    {
        var text = File.ReadAllText(Path.Combine(GoldenGraph.DataDirectory, "op_timings_pipeline_cases.json"));
        return JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    });

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var c in AllCases.Value)
        {
            var name = c.GetProperty("case").GetString()!;
            var dispatch = c.GetProperty("dispatch").EnumerateArray().ToArray();
            for (var i = 0; i < dispatch.Length; i++)
            {
                yield return new TestCaseData(name, i).SetName($"{name}_dispatch{i}");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void MakespanMatchesDispatch(string caseName, int dispatchIndex)
    {
        var c = AllCases.Value.Single(x => x.GetProperty("case").GetString() == caseName);
        var s = c.GetProperty("summary");
        var dispatch = c.GetProperty("dispatch")[dispatchIndex];
        var noDp = dispatch.GetProperty("no_data_parallel").GetBoolean();
        var training = c.GetProperty("run_type").GetString() != "inference";
        var input = GoldenTables.Input(
            c.GetProperty("pipeline_graph_tables"),
            s.GetProperty("pp").GetInt32(),
            noDp ? 1 : s.GetProperty("dp").GetInt32(),
            s.GetProperty("tp").GetInt32(),
            s.GetProperty("cp").GetInt32(),
            s.GetProperty("ep").GetInt32(),
            includeBackward: training,
            includeOptimizer: !noDp);
        var graph = PipelineGraphBuilder.Build(input);

        var links = new Dictionary<ParallelismAxis, Link>();
        foreach (var p in s.GetProperty("links").EnumerateObject())
        {
            links[GoldenTables.Axis(p.Name)] = new Link(p.Value.GetProperty("bandwidth").GetDouble(), p.Value.GetProperty("latency").GetDouble());
        }

        var model = new ReferenceCollectiveModel(
            links,
            s.GetProperty("th").GetDouble(),
            c.GetProperty("l0_bandwidth").GetDouble(),
            c.GetProperty("l0_latency").GetDouble(),
            s.GetProperty("O").GetDouble());
        var sim = EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, model));
        var expected = dispatch.GetProperty("total_time").GetDouble();
        Assert.That(GoldenGraphComparer.Close(sim.MakespanSeconds, expected), Is.True, $"{sim.MakespanSeconds:R} vs {expected:R}");
    }
}
