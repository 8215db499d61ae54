using RapidLlm.Graphs;

namespace RapidLlm.Memory;

/// <summary>
/// A pipeline graph's children lists as flat index arrays (each vertex's children in list order, parallel dependencies
/// repeated), read once from the graph so the replay's passes do no per-vertex dictionary look-ups.
/// </summary>
internal sealed class PipelineAdjacency
{
    private readonly int[] _start;
    private readonly int[] _children;

    public PipelineAdjacency(ExecutionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        var vertices = graph.Vertices;
        _start = new int[vertices.Count + 1];
        var children = new int[Math.Max(16, graph.DependencyCount)];
        var at = 0;
        for (var i = 0; i < vertices.Count; i++)
        {
            foreach (var edge in graph.Structure.OutEdges(vertices[i]))
            {
                if (at == children.Length) Array.Resize(ref children, at * 2);
                children[at++] = edge.Target.Index;
            }

            _start[i + 1] = at;
        }

        _children = children;
    }

    public ExecutionGraph Graph { get; }

    public int Count => _start.Length - 1;

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
}
