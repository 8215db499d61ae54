using RapidLlm.AstraSim.Visualization;
using RapidLlm.Graphs;

namespace RapidLlm.Tests.AstraSim;

public sealed class GraphVisualizerTests
{
    private static ExecutionGraph Layer() => TransformerGraphBuilder.Build(ChakraGraphConverterTests.ReferenceLayer(), PassDirection.Forward);

    [Test]
    public void DotHasEveryVertexAndDependency()
    {
        var graph = Layer();
        var dot = GraphDotWriter.ToDot(graph, "layer");
        Assert.That(dot, Does.StartWith("digraph \"layer\" {"));
        Assert.That(dot.Split('\n').Count(l => l.Contains(" -> ", StringComparison.Ordinal)), Is.EqualTo(graph.DependencyCount));
        Assert.That(dot.Split('\n').Count(l => l.StartsWith("  v", StringComparison.Ordinal) && l.Contains(" [", StringComparison.Ordinal)), Is.EqualTo(graph.Vertices.Count));
        Assert.That(dot, Does.Contain("AllReduce").Or.Contain("ReduceScatter").Or.Contain("AllGather"));
    }

    [Test]
    public void DisabledWritesNothingAndEnabledWritesDotAndPngWhenGraphvizIsInstalled()
    {
        var folder = Directory.CreateTempSubdirectory("rapid-viz-").FullName;
        try
        {
            Assert.That(new GraphVisualizer(folder, Enabled: false).Save(Layer(), "g"), Is.Null);
            Assert.That(Directory.EnumerateFiles(folder), Is.Empty);
            var saved = new GraphVisualizer(folder, Enabled: true).Save(Layer(), "g");
            Assert.That(File.Exists(saved!.Value.DotPath), Is.True);
            var noDot = new GraphVisualizer(folder, Enabled: true, DotExecutable: "/nonexistent/dot").Save(Layer(), "h");
            Assert.That(noDot!.Value.PngPath, Is.Null, "a missing Graphviz only skips the picture");
            if (saved.Value.PngPath is null) SkipReason.Skip("Graphviz 'dot' is not installed; PNG rendering was not exercised.");
            Assert.That(new FileInfo(saved.Value.PngPath).Length, Is.GreaterThan(0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
