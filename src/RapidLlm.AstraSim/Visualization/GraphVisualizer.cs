using System.Diagnostics;
using RapidLlm.Graphs;

namespace RapidLlm.AstraSim.Visualization;

/// <summary>
/// Saves graphs as <c>&lt;name&gt;.dot</c> under an output folder when enabled (<see cref="Execution.AstraSimOptions.VisualizeGraphs"/>;
/// the CLI maps RAPID_VISUALIZE_GRAPHS onto it), and renders <c>&lt;name&gt;.png</c> with Graphviz <c>dot</c> when it is installed.
/// A missing or failing <c>dot</c> leaves the DOT file and is not an error: pictures are a debugging aid.
/// </summary>
/// <param name="OutputDirectory">Folder the files go to.</param>
/// <param name="Enabled">False writes nothing.</param>
/// <param name="DotExecutable">The Graphviz executable; looked up on PATH by name.</param>
internal sealed record GraphVisualizer(string OutputDirectory, bool Enabled, string DotExecutable = "dot")
{
    /// <summary>Writes <paramref name="graph"/>; returns the DOT path and the PNG path (null when not rendered), or null when disabled.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="name">File name without extension (<c>pipeline_graph_hierarchical</c>, ...).</param>
    /// <param name="durations">The times to print; null prints the built-in ones.</param>
    public (string DotPath, string? PngPath)? Save(ExecutionGraph graph, string name, VertexDurations? durations = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Enabled) return null;
        Directory.CreateDirectory(OutputDirectory);
        var dot = Path.Combine(OutputDirectory, name + ".dot");
        File.WriteAllText(dot, GraphDotWriter.ToDot(graph, name, durations));
        var png = Path.Combine(OutputDirectory, name + ".png");
        return (dot, TryRender(dot, png) ? png : null);
    }

    private bool TryRender(string dot, string png)
    {
        var start = new ProcessStartInfo(DotExecutable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-Tpng");
        start.ArgumentList.Add(dot);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(png);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return false;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0 && File.Exists(png);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // Graphviz is not installed.
        }
    }
}
