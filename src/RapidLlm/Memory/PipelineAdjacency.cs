using System.Buffers;
using RapidLlm.Graphs;

namespace RapidLlm.Memory;

/// <summary>
/// A pipeline graph's children lists as flat index arrays (each vertex's children in list order, parallel dependencies
/// repeated), read once from the graph so the replay's passes do no per-vertex dictionary look-ups. The arrays are
/// borrowed from the shared pool (they are large and live for one replay) and given back on <see cref="Dispose"/>.
/// </summary>
internal sealed class PipelineAdjacency : IDisposable
{
    private int[] _start;
    private int[] _children;

    public PipelineAdjacency(ExecutionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        var vertices = graph.Vertices;
        Count = vertices.Count;
        _start = ArrayPool<int>.Shared.Rent(Count + 1);
        _children = ArrayPool<int>.Shared.Rent(Math.Max(16, graph.DependencyCount));
        _start[0] = 0;
        var at = 0;
        for (var i = 0; i < vertices.Count; i++)
        {
            foreach (var edge in graph.Structure.OutEdges(vertices[i]))
            {
                if (at == _children.Length)
                {
                    var grown = ArrayPool<int>.Shared.Rent(at * 2);
                    _children.AsSpan(0, at).CopyTo(grown);
                    ArrayPool<int>.Shared.Return(_children);
                    _children = grown;
                }

                _children[at++] = edge.Target.Index;
            }

            _start[i + 1] = at;
        }
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

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_start);
        ArrayPool<int>.Shared.Return(_children);
        _start = [];
        _children = [];
    }
}
