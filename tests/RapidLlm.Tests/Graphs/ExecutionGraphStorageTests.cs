using RapidLlm.Graphs;

namespace RapidLlm.Tests.Graphs;

/// <summary>
/// The graph keeps each vertex's links in chunks of 4096 vertices and caches a flat copy of the children lists: both
/// must read back exactly what was connected, across chunk boundaries and after changes.
/// </summary>
public class ExecutionGraphStorageTests
{
    [TestCase(16, 10_000)]
    [TestCase(10_000, 10_000)]
    [TestCase(4096, 4097)]
    [TestCase(5000, 12_289)]
    public void LinksAcrossChunksReadBackInOrder(int expectedVertices, int vertices)
    {
        var graph = new ExecutionGraph(1, expectedVertices);
        var added = Enumerable.Range(0, vertices).Select(i => graph.Add(new ComputeVertex($"v{i}", i, 0, 1e-3))).ToList();
        // A chain plus a jump of 4095 and a parallel duplicate, so lists cross chunks and hold more than one entry.
        for (var i = 0; i + 1 < vertices; i++)
        {
            graph.Connect(added[i], added[i + 1]);
            if (i + 4095 < vertices)
            {
                graph.Connect(added[i], added[i + 4095]);
                graph.Connect(added[i], added[i + 4095]);
            }
        }

        var (start, items) = graph.FlatChildren;
        Assert.Multiple(() =>
        {
            Assert.That(start, Has.Length.EqualTo(vertices + 1));
            Assert.That(items, Has.Length.EqualTo(graph.DependencyCount));
            foreach (var i in new[] { 0, 1, 4094, 4095, 4096, vertices - 4096, vertices - 2, vertices - 1 }.Where(i => i >= 0))
            {
                var expected = i + 1 < vertices
                    ? (i + 4095 < vertices ? new[] { i + 1, i + 4095, i + 4095 } : new[] { i + 1 })
                    : Array.Empty<int>();
                Assert.That(graph.Children(added[i]).Select(v => v.Index), Is.EqualTo(expected), $"children of {i}");
                Assert.That(items[start[i]..start[i + 1]], Is.EqualTo(expected), $"flat children of {i}");
                Assert.That(graph.ParentCount(added[i]), Is.EqualTo((i > 0 ? 1 : 0) + (i >= 4095 ? 2 : 0)), $"parents of {i}");
            }
        });
    }

    [Test]
    public void FlatChildrenFollowChanges()
    {
        var graph = new ExecutionGraph();
        var a = graph.Add(new ComputeVertex("a", 0, 0, 1e-3));
        var b = graph.Add(new ComputeVertex("b", 1, 0, 1e-3));
        graph.Connect(a, b);
        var before = graph.FlatChildren;
        var c = graph.Add(new ComputeVertex("c", 2, 0, 1e-3));
        graph.Connect(a, c);
        graph.Disconnect(a, b);
        var after = graph.FlatChildren;
        Assert.Multiple(() =>
        {
            Assert.That(before.Items, Is.EqualTo(new[] { 1 }));
            Assert.That(after.Start, Is.EqualTo(new[] { 0, 1, 1, 1 }));
            Assert.That(after.Items, Is.EqualTo(new[] { 2 }));
            Assert.That(graph.FlatChildren, Is.SameAs(after), "kept until the graph changes");
        });
    }
}
