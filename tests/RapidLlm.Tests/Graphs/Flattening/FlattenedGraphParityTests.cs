using RapidLlm.Execution;
using RapidLlm.Graphs;

namespace RapidLlm.Tests.Graphs.Flattening;

/// <summary>Flattened per-rank memory graphs G01..G05 against the reference's dumps.</summary>
public class FlattenedGraphParityTests
{
    [TestCaseSource(typeof(PipelineGoldenParityTests), nameof(PipelineGoldenParityTests.Cases))]
    public void StructureMatchesReference(string caseName)
    {
        var (graph, golden, order, _) = FlattenedGoldenCase.Build(caseName);
        Assert.That(golden.Roots, Is.EqualTo(new[] { 0 }));
        var diffs = FlattenedGraphComparer.Differences(graph, order, golden);
        Assert.That(diffs, Is.Empty, string.Join("\n", diffs));
    }

    [TestCaseSource(typeof(PipelineGoldenParityTests), nameof(PipelineGoldenParityTests.Cases))]
    public void SimulatedFinishTimesMatchReference(string caseName)
    {
        var (graph, golden, order, _) = FlattenedGoldenCase.Build(caseName);
        var sim = EventSimulator.Simulate(graph);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < Math.Min(order.Count, golden.Objects.Length); i++)
            {
                var actual = sim.FinishTimeSeconds(order[i]);
                var expected = golden.Objects[i].FinishTime;
                Assert.That(GoldenGraphComparer.Close(actual, expected, 1e-12), Is.True, $"#{i} {order[i].Name}: {actual:R} vs {expected:R}");
            }
        });
    }
}
