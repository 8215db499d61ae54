using QuikGraph;

namespace RapidLlm.Graphs;

/// <summary>
/// A DAG of compute and communication vertices, stored in a QuikGraph bidirectional graph. Parallel
/// edges are allowed and the out-/in-edge lists keep insertion order: that order is the reference's
/// children/parents list order, which the scheduler's FIFO depends on. The graph is plain data;
/// building, timing and simulating are separate types.
/// </summary>
internal sealed class ExecutionGraph
{
    private readonly BidirectionalGraph<GraphVertex, SEquatableEdge<GraphVertex>> _graph = new(allowParallelEdges: true);
    private readonly List<GraphVertex> _vertices = [];

    /// <summary>Creates an empty graph.</summary>
    /// <param name="minimumDeviceCount">Devices the simulator allocates at least (the pipeline depth).</param>
    public ExecutionGraph(int minimumDeviceCount = 1)
    {
        MinimumDeviceCount = Math.Max(1, minimumDeviceCount);
    }

    /// <summary>Devices the simulator allocates at least, even when some hold no vertex.</summary>
    public int MinimumDeviceCount { get; }

    /// <summary>The start vertex of the graph, where one has been designated (once, by the graph's builder).</summary>
    public GraphVertex? Root { get; private set; }

    /// <summary>All vertices, in the order they were added (<see cref="GraphVertex.Index"/> order).</summary>
    public IReadOnlyList<GraphVertex> Vertices => _vertices;

    /// <summary>Number of dependencies (parallel ones counted).</summary>
    public int DependencyCount => _graph.EdgeCount;

    /// <summary>The underlying QuikGraph graph, for generic graph algorithms.</summary>
    public IBidirectionalGraph<GraphVertex, SEquatableEdge<GraphVertex>> Structure => _graph;

    /// <summary>Adds a vertex and assigns its dense index.</summary>
    /// <typeparam name="TVertex">Vertex type.</typeparam>
    /// <param name="vertex">A vertex not yet in any graph.</param>
    /// <returns>The same vertex, for chaining.</returns>
    public TVertex Add<TVertex>(TVertex vertex)
        where TVertex : GraphVertex
    {
        ArgumentNullException.ThrowIfNull(vertex);
        if (vertex.Index >= 0)
        {
            throw new InvalidOperationException($"Vertex {vertex} already belongs to a graph.");
        }

        vertex.Index = _vertices.Count;
        _vertices.Add(vertex);
        _graph.AddVertex(vertex);
        return vertex;
    }

    /// <summary>Designates the start vertex; a graph has one root, designated once.</summary>
    /// <param name="root">A vertex of this graph.</param>
    public void DesignateRoot(GraphVertex root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (Root is not null)
        {
            throw new InvalidOperationException($"The graph's root is already {Root}.");
        }

        if (root.Index < 0 || root.Index >= _vertices.Count || !ReferenceEquals(_vertices[root.Index], root))
        {
            throw new ArgumentException($"Vertex {root} does not belong to this graph.", nameof(root));
        }

        Root = root;
    }

    /// <summary>Appends <paramref name="child"/> to the children of <paramref name="parent"/> (and the parent to the child's parents).</summary>
    /// <param name="parent">Predecessor.</param>
    /// <param name="child">Successor.</param>
    public void Connect(GraphVertex parent, GraphVertex child) =>
        _graph.AddEdge(new SEquatableEdge<GraphVertex>(parent, child));

    /// <summary>Removes one <paramref name="parent"/> → <paramref name="child"/> dependency, keeping the order of the rest.</summary>
    /// <param name="parent">Predecessor.</param>
    /// <param name="child">Successor.</param>
    /// <returns>True when a dependency was removed.</returns>
    public bool Disconnect(GraphVertex parent, GraphVertex child) =>
        _graph.RemoveEdge(new SEquatableEdge<GraphVertex>(parent, child));

    /// <summary>True when <paramref name="child"/> already is a child of <paramref name="parent"/>.</summary>
    /// <param name="parent">Predecessor.</param>
    /// <param name="child">Successor.</param>
    /// <returns>Whether the dependency exists.</returns>
    public bool HasDependency(GraphVertex parent, GraphVertex child) =>
        _graph.ContainsEdge(parent, child);

    /// <summary>Children of a vertex in list order (with repeats if a dependency was added twice).</summary>
    /// <param name="vertex">The vertex.</param>
    /// <returns>The children.</returns>
    public IEnumerable<GraphVertex> Children(GraphVertex vertex)
    {
        foreach (var edge in _graph.OutEdges(vertex))
        {
            yield return edge.Target;
        }
    }

    /// <summary>Parents of a vertex in list order.</summary>
    /// <param name="vertex">The vertex.</param>
    /// <returns>The parents.</returns>
    public IEnumerable<GraphVertex> Parents(GraphVertex vertex)
    {
        foreach (var edge in _graph.InEdges(vertex))
        {
            yield return edge.Source;
        }
    }

    /// <summary>Number of children (parallel dependencies counted).</summary>
    /// <param name="vertex">The vertex.</param>
    /// <returns>Out-degree.</returns>
    public int ChildCount(GraphVertex vertex) => _graph.OutDegree(vertex);

    /// <summary>Number of parents (parallel dependencies counted).</summary>
    /// <param name="vertex">The vertex.</param>
    /// <returns>In-degree.</returns>
    public int ParentCount(GraphVertex vertex) => _graph.InDegree(vertex);

    /// <summary>The i-th child in list order.</summary>
    /// <param name="vertex">The vertex.</param>
    /// <param name="position">Position in the child list.</param>
    /// <returns>The child.</returns>
    public GraphVertex ChildAt(GraphVertex vertex, int position) => _graph.OutEdge(vertex, position).Target;

    /// <summary>The i-th parent in list order.</summary>
    /// <param name="vertex">The vertex.</param>
    /// <param name="position">Position in the parent list.</param>
    /// <returns>The parent.</returns>
    public GraphVertex ParentAt(GraphVertex vertex, int position) => _graph.InEdge(vertex, position).Source;
}
