using System.Globalization;
using System.Text;
using RapidLlm.Graphs;

namespace RapidLlm.AstraSim.Visualization;

/// <summary>
/// Writes an execution graph (pipeline, transformer layer or flattened) as Graphviz DOT: compute vertices are boxes
/// coloured by hardware id, communication vertices ellipses with kind, size and time, so a graph can be checked by
/// eye like the reference's <c>RAPID_VISUALIZE_GRAPHS</c> output.
/// </summary>
internal static class GraphDotWriter
{
    private static readonly string[] Palette = ["#cfe2f3", "#d9ead3", "#fff2cc", "#f4cccc", "#d9d2e9", "#fce5cd", "#d0e0e3", "#ead1dc"];

    /// <summary>The DOT text of <paramref name="graph"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="name">The digraph's name.</param>
    /// <param name="durations">The times to print (a backend's timing of the graph); null prints the built-in ones.</param>
    public static string ToDot(ExecutionGraph graph, string name, VertexDurations? durations = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        durations ??= VertexDurations.Intrinsic(graph);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"digraph \"{Escape(name)}\" {{\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
        var ids = new Dictionary<GraphVertex, int>();
        foreach (var vertex in graph.Vertices)
        {
            var id = ids.Count;
            ids[vertex] = id;
            text.Append(CultureInfo.InvariantCulture, $"  v{id} [{Attributes(vertex, durations[vertex])}];\n");
        }

        foreach (var vertex in graph.Vertices)
        {
            foreach (var child in graph.Children(vertex))
            {
                text.Append(CultureInfo.InvariantCulture, $"  v{ids[vertex]} -> v{ids[child]};\n");
            }
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string Attributes(GraphVertex vertex, double seconds) => vertex switch
    {
        ComputeVertex c => string.Create(CultureInfo.InvariantCulture,
            $"shape=box, style=filled, fillcolor=\"{Palette[Math.Abs(c.HardwareId) % Palette.Length]}\", " +
            $"label=\"{Escape(c.Name)}\\nhw {c.HardwareId}  {seconds * 1e3:0.######} ms\""),
        CommunicationVertex m => string.Create(CultureInfo.InvariantCulture,
            $"shape=ellipse, label=\"{Escape(m.Name)}\\n{m.Kind} {m.SizeBytes:0} B x{m.Participants}" +
            $"{(m.Axis is { } a ? " " + a.ToString().ToLowerInvariant() : string.Empty)}\\n{seconds * 1e3:0.######} ms\""),
        _ => $"shape=point, label=\"{Escape(vertex.Name)}\"",
    };

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
