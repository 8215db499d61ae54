using QuikGraph;

namespace RapidLlm.Graphs;

/// <summary>
/// A DAG of compute and communication vertices. Parallel edges are allowed and the children and parents lists keep
/// insertion order: that order is the reference's children/parents list order, which the scheduler's FIFO depends on.
/// The lists live in arrays indexed by <see cref="GraphVertex.Index"/> (no hashing on the hot path); a QuikGraph view
/// for generic graph algorithms is made on first use of <see cref="Structure"/>. The graph is plain data; building,
/// timing and simulating are separate types. Reading from several threads is safe once it is built.
/// </summary>
internal sealed class ExecutionGraph
{
    private readonly List<GraphVertex> _vertices;
    private readonly LinkTable _children;
    private readonly LinkTable _parents;
    private BidirectionalGraph<GraphVertex, SEquatableEdge<GraphVertex>>? _structure;
    private FlatChildLists? _flatChildren;

    /// <summary>Creates an empty graph.</summary>
    /// <param name="minimumDeviceCount">Devices the simulator allocates at least (the pipeline depth).</param>
    /// <param name="expectedVertices">Vertices the builder expects to add (room is made for them up front).</param>
    public ExecutionGraph(int minimumDeviceCount = 1, int expectedVertices = 16)
    {
        MinimumDeviceCount = Math.Max(1, minimumDeviceCount);
        var capacity = Math.Max(16, expectedVertices);
        _vertices = new List<GraphVertex>(capacity);
        _children = new LinkTable(capacity);
        _parents = new LinkTable(capacity);
    }

    /// <summary>Devices the simulator allocates at least, even when some hold no vertex.</summary>
    public int MinimumDeviceCount { get; }

    /// <summary>The start vertex of the graph, where one has been designated (once, by the graph's builder).</summary>
    public GraphVertex? Root { get; private set; }

    /// <summary>All vertices, in the order they were added (<see cref="GraphVertex.Index"/> order).</summary>
    public IReadOnlyList<GraphVertex> Vertices => _vertices;

    /// <summary>Number of dependencies (parallel ones counted).</summary>
    public int DependencyCount { get; private set; }

    /// <summary>
    /// The graph as a QuikGraph bidirectional graph, for generic graph algorithms: made on first use and kept until
    /// the graph changes (the estimate's own passes read the arrays directly).
    /// </summary>
    public IBidirectionalGraph<GraphVertex, SEquatableEdge<GraphVertex>> Structure =>
        LazyInitializer.EnsureInitialized(ref _structure, MakeStructure);

    /// <summary>
    /// Every vertex's children as one index array with start offsets (parallel dependencies repeated, list order),
    /// made on first use and kept until the graph changes, so the event simulator and the memory replay of one
    /// estimate share one copy. Callers only read the arrays.
    /// </summary>
    internal FlatChildLists FlatChildren => LazyInitializer.EnsureInitialized(ref _flatChildren, MakeFlatChildren);

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

        var index = _vertices.Count;
        _children.EnsureRoomFor(index);
        _parents.EnsureRoomFor(index);

        vertex.Index = index;
        _vertices.Add(vertex);
        _structure = null;
        _flatChildren = null;
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

        if (!Contains(root))
        {
            throw new ArgumentException($"Vertex {root} does not belong to this graph.", nameof(root));
        }

        Root = root;
    }

    /// <summary>Appends <paramref name="child"/> to the children of <paramref name="parent"/> (and the parent to the child's parents).</summary>
    /// <param name="parent">Predecessor.</param>
    /// <param name="child">Successor.</param>
    public void Connect(GraphVertex parent, GraphVertex child)
    {
        Require(parent, nameof(parent));
        Require(child, nameof(child));
        _children[parent.Index].Add(child.Index);
        _parents[child.Index].Add(parent.Index);
        DependencyCount++;
        _structure = null;
        _flatChildren = null;
    }

    /// <summary>Removes one <paramref name="parent"/> → <paramref name="child"/> dependency, keeping the order of the rest.</summary>
    /// <param name="parent">Predecessor.</param>
    /// <param name="child">Successor.</param>
    /// <returns>True when a dependency was removed.</returns>
    public bool Disconnect(GraphVertex parent, GraphVertex child)
    {
        if (!Contains(parent) || !Contains(child) || !_children[parent.Index].Remove(child.Index))
        {
            return false;
        }

        _parents[child.Index].Remove(parent.Index);
        DependencyCount--;
        _structure = null;
        _flatChildren = null;
        return true;
    }

    /// <summary>True when <paramref name="child"/> already is a child of <paramref name="parent"/>.</summary>
    /// <param name="parent">Predecessor.</param>
    /// <param name="child">Successor.</param>
    /// <returns>Whether the dependency exists.</returns>
    public bool HasDependency(GraphVertex parent, GraphVertex child) =>
        Contains(parent) && Contains(child) && _children[parent.Index].IndexOf(child.Index) >= 0;

    /// <summary>Children of a vertex in list order (with repeats if a dependency was added twice); a view valid until the graph changes.</summary>
    /// <param name="vertex">The vertex.</param>
    /// <returns>The children.</returns>
    public VertexList Children(GraphVertex vertex) => _children[Checked(vertex)].View(_vertices);

    /// <summary>Parents of a vertex in list order; a view valid until the graph changes.</summary>
    /// <param name="vertex">The vertex.</param>
    /// <returns>The parents.</returns>
    public VertexList Parents(GraphVertex vertex) => _parents[Checked(vertex)].View(_vertices);

    /// <summary>Number of children (parallel dependencies counted).</summary>
    /// <param name="vertex">The vertex.</param>
    /// <returns>Out-degree.</returns>
    public int ChildCount(GraphVertex vertex) => _children[Checked(vertex)].Count;

    /// <summary>Number of parents (parallel dependencies counted).</summary>
    /// <param name="vertex">The vertex.</param>
    /// <returns>In-degree.</returns>
    public int ParentCount(GraphVertex vertex) => _parents[Checked(vertex)].Count;

    /// <summary>The i-th child in list order.</summary>
    /// <param name="vertex">The vertex.</param>
    /// <param name="position">Position in the child list.</param>
    /// <returns>The child.</returns>
    public GraphVertex ChildAt(GraphVertex vertex, int position) => Children(vertex)[position];

    /// <summary>The i-th parent in list order.</summary>
    /// <param name="vertex">The vertex.</param>
    /// <param name="position">Position in the parent list.</param>
    /// <returns>The parent.</returns>
    public GraphVertex ParentAt(GraphVertex vertex, int position) => Parents(vertex)[position];

    /// <summary>Writes the indices of the vertex's children, in list order, into <paramref name="destination"/>.</summary>
    /// <param name="vertex">Index of the vertex.</param>
    /// <param name="destination">At least <see cref="ChildCount(int)"/> long.</param>
    internal void CopyChildIndices(int vertex, Span<int> destination) => _children[vertex].CopyTo(destination);

    /// <summary>Number of children of the vertex at <paramref name="vertex"/>.</summary>
    /// <param name="vertex">Index of the vertex.</param>
    /// <returns>Out-degree.</returns>
    internal int ChildCount(int vertex) => _children[vertex].Count;

    /// <summary>Number of parents of the vertex at <paramref name="vertex"/>.</summary>
    /// <param name="vertex">Index of the vertex.</param>
    /// <returns>In-degree.</returns>
    internal int ParentCount(int vertex) => _parents[vertex].Count;

    private bool Contains(GraphVertex vertex) =>
        vertex.Index >= 0 && vertex.Index < _vertices.Count && ReferenceEquals(_vertices[vertex.Index], vertex);

    private int Checked(GraphVertex vertex)
    {
        Require(vertex, nameof(vertex));
        return vertex.Index;
    }

    private void Require(GraphVertex vertex, string parameter)
    {
        ArgumentNullException.ThrowIfNull(vertex, parameter);
        if (!Contains(vertex))
        {
            throw new ArgumentException($"Vertex {vertex} does not belong to this graph.", parameter);
        }
    }

    private FlatChildLists MakeFlatChildren()
    {
        var n = _vertices.Count;
        var start = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            start[i + 1] = start[i] + _children[i].Count;
        }

        var items = new int[start[n]];
        for (var i = 0; i < n; i++)
        {
            _children[i].CopyTo(items.AsSpan(start[i], start[i + 1] - start[i]));
        }

        return new FlatChildLists(start, items);
    }

    private BidirectionalGraph<GraphVertex, SEquatableEdge<GraphVertex>> MakeStructure()
    {
        var graph = new BidirectionalGraph<GraphVertex, SEquatableEdge<GraphVertex>>(allowParallelEdges: true, _vertices.Count);
        graph.AddVertexRange(_vertices);

        // QuikGraph appends each edge to its source's out-list and its target's in-list, so the edges go in in an
        // order that replays every children list and every parents list.
        foreach (var (parent, child) in DependenciesInListOrder())
        {
            graph.AddEdge(new SEquatableEdge<GraphVertex>(_vertices[parent], _vertices[child]));
        }

        return graph;
    }

    /// <summary>
    /// Every dependency as (parent index, child index), in an order consistent with every children list and every
    /// parents list: appending them in this order to empty lists rebuilds both.
    /// </summary>
    /// <returns>The dependencies.</returns>
    internal List<(int Parent, int Child)> DependenciesInListOrder()
    {
        // Each edge is one slot of its parent's children list and one slot of its child's parents list; the two lists
        // must each be replayed in order. Edge (p, c, k) = the k-th p → c slot; it may go out once its predecessor in
        // p's children list and its predecessor in c's parents list are out.
        var n = _vertices.Count;
        var childPosition = new int[n];
        var parentPosition = new int[n];
        var result = new List<(int Parent, int Child)>(DependencyCount);
        var toTry = new Stack<int>(Enumerable.Range(0, n).Reverse());
        while (toTry.Count > 0)
        {
            var p = toTry.Pop();
            while (childPosition[p] < _children[p].Count)
            {
                var c = _children[p][childPosition[p]];
                if (_parents[c][parentPosition[c]] != p)
                {
                    break;
                }

                result.Add((p, c));
                childPosition[p]++;
                if (++parentPosition[c] < _parents[c].Count)
                {
                    // The child's next parent may have been waiting for this slot.
                    toTry.Push(_parents[c][parentPosition[c]]);
                }
            }
        }

        if (result.Count != DependencyCount)
        {
            throw new InvalidOperationException("The graph's children and parents list orders cannot be reproduced together.");
        }

        return result;
    }

    /// <summary>
    /// Every vertex's links in chunks of <see cref="ChunkSize"/> (64 KiB each), indexed by vertex: one array for a
    /// large graph would land on the large-object heap, and a graph built per estimate would then make every garbage
    /// collection a full one.
    /// </summary>
    private sealed class LinkTable
    {
        private const int ChunkShift = 12;
        private const int ChunkSize = 1 << ChunkShift;
        private VertexLinks[][] _chunks;

        public LinkTable(int capacity)
        {
            // Full chunks, then one of the remaining size (a small graph allocates only what it asked for).
            var full = capacity >> ChunkShift;
            var rest = capacity & (ChunkSize - 1);
            _chunks = new VertexLinks[full + (rest > 0 ? 1 : 0)][];
            for (var c = 0; c < _chunks.Length; c++)
            {
                _chunks[c] = new VertexLinks[c < full ? ChunkSize : rest];
            }
        }

        public ref VertexLinks this[int vertex] => ref _chunks[vertex >> ChunkShift][vertex & (ChunkSize - 1)];

        /// <summary>Makes room for the vertex at <paramref name="index"/>, growing the last chunk or adding one.</summary>
        public void EnsureRoomFor(int index)
        {
            var chunk = index >> ChunkShift;
            var offset = index & (ChunkSize - 1);
            if (chunk < _chunks.Length && _chunks[chunk] is { } existing && offset < existing.Length)
            {
                return;
            }

            if (chunk >= _chunks.Length)
            {
                Array.Resize(ref _chunks, Math.Max(chunk + 1, _chunks.Length * 2));
            }

            // Chunks before this one are full (vertices are added in index order); this one doubles up to a full chunk.
            for (var c = 0; c <= chunk; c++)
            {
                var length = _chunks[c]?.Length ?? 0;
                var wanted = c < chunk ? ChunkSize : Math.Min(ChunkSize, Math.Max(offset + 1, length * 2));
                if (length < wanted)
                {
                    var grown = new VertexLinks[wanted];
                    _chunks[c]?.CopyTo(grown, 0);
                    _chunks[c] = grown;
                }
            }
        }
    }

    /// <summary>
    /// An ordered list of linked vertex indices stored inline in the graph's arrays: the first in the struct itself
    /// (most vertices have one child and one parent, so they allocate nothing), the rest in an array.
    /// </summary>
    private struct VertexLinks
    {
        private int _first;
        private int[]? _more;

        public int Count { get; private set; }

        public readonly int this[int position] => position == 0 ? _first : _more![position - 1];

        public void Add(int vertex)
        {
            if (Count == 0)
            {
                _first = vertex;
            }
            else if (_more is null)
            {
                _more = new int[2];
                _more[0] = vertex;
            }
            else
            {
                if (Count - 1 == _more.Length)
                {
                    Array.Resize(ref _more, _more.Length * 2);
                }

                _more[Count - 1] = vertex;
            }

            Count++;
        }

        public readonly int IndexOf(int vertex)
        {
            for (var i = 0; i < Count; i++)
            {
                if (this[i] == vertex)
                {
                    return i;
                }
            }

            return -1;
        }

        public bool Remove(int vertex)
        {
            var at = IndexOf(vertex);
            if (at < 0)
            {
                return false;
            }

            for (var i = at; i < Count - 1; i++)
            {
                Set(i, this[i + 1]);
            }

            Count--;
            return true;
        }

        public readonly void CopyTo(Span<int> destination)
        {
            if (Count == 0)
            {
                return;
            }

            destination[0] = _first;
            if (Count > 1)
            {
                _more.AsSpan(0, Count - 1).CopyTo(destination[1..]);
            }
        }

        public readonly VertexList View(List<GraphVertex> vertices) => new(vertices, _first, _more, Count);

        private void Set(int position, int vertex)
        {
            if (position == 0)
            {
                _first = vertex;
            }
            else
            {
                _more![position - 1] = vertex;
            }
        }
    }
}

/// <summary>A read-only view of one vertex's children or parents, in list order; enumerating it allocates nothing.</summary>
internal readonly struct VertexList : IReadOnlyList<GraphVertex>
{
    private readonly List<GraphVertex> _vertices;
    private readonly int _first;
    private readonly int[]? _more;

    internal VertexList(List<GraphVertex> vertices, int first, int[]? more, int count)
    {
        _vertices = vertices;
        _first = first;
        _more = more;
        Count = count;
    }

    /// <summary>Number of vertices in the list.</summary>
    public int Count { get; }

    /// <summary>The vertex at <paramref name="position"/>.</summary>
    /// <param name="position">Position in the list.</param>
    public GraphVertex this[int position] =>
        (uint)position < (uint)Count
            ? _vertices[position == 0 ? _first : _more![position - 1]]
            : throw new ArgumentOutOfRangeException(nameof(position));

    /// <summary>An allocation-free enumerator.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<GraphVertex> IEnumerable<GraphVertex>.GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => ((IEnumerable<GraphVertex>)this).GetEnumerator();

    /// <summary>Enumerates a <see cref="VertexList"/>.</summary>
    public struct Enumerator
    {
        private readonly VertexList _list;
        private int _position;

        internal Enumerator(VertexList list)
        {
            _list = list;
            _position = -1;
        }

        /// <summary>The current vertex.</summary>
        public readonly GraphVertex Current => _list[_position];

        /// <summary>Moves to the next vertex.</summary>
        /// <returns>False at the end.</returns>
        public bool MoveNext() => ++_position < _list.Count;
    }
}

/// <summary>A graph's children lists flattened: vertex v's children are <c>Items[Start[v]..Start[v + 1]]</c>. Read only.</summary>
/// <param name="Start">Start offset of each vertex's children, with one more entry at the end (the total).</param>
/// <param name="Items">Child indices, vertex after vertex.</param>
internal sealed record FlatChildLists(int[] Start, int[] Items);
