using RapidLlm.Graphs;

namespace RapidLlm.Memory;

/// <summary>
/// A pipeline graph's children lists as flat index arrays (each vertex's children in list order, parallel dependencies
/// repeated), so the replay's passes do no per-vertex look-ups. The arrays are the graph's own cached copy
/// (<see cref="ExecutionGraph.FlatChildren"/>), shared with the event simulator of the same estimate and only read.
/// </summary>
internal sealed class PipelineAdjacency : IDisposable
{
    private readonly int[] _start;
    private readonly int[] _children;

    public PipelineAdjacency(ExecutionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        Count = graph.Vertices.Count;
        (_start, _children) = graph.FlatChildren;
    }

    public ExecutionGraph Graph { get; }

    public int Count { get; }

    /// <summary>Position of the vertex's first child in <see cref="Child"/>.</summary>
    public int FirstChild(int vertex) => _start[vertex];

    /// <summary>One past the vertex's last child.</summary>
    public int EndChild(int vertex) => _start[vertex + 1];

    /// <summary>The child at a position between <see cref="FirstChild"/> and <see cref="EndChild"/>.</summary>
    public int Child(int position) => _children[position];

    /// <summary>Whether the root reaches each vertex, by index.</summary>
    public bool[] Reachable(int root)
    {
        var seen = new bool[Count];
        var stack = new Stack<int>();
        seen[root] = true;
        stack.Push(root);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            for (var e = _start[v]; e < _start[v + 1]; e++)
            {
                var c = _children[e];
                if (!seen[c])
                {
                    seen[c] = true;
                    stack.Push(c);
                }
            }
        }

        return seen;
    }

    /// <summary>Nothing to give back (the arrays belong to the graph); kept so callers scope the adjacency.</summary>
    public void Dispose()
    {
    }
}
