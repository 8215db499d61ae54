namespace RapidLlm.Graphs.Flattening;

/// <summary>
/// A mutable graph with reference-style ordered children/parents lists, used by the flattener and the
/// overlap rewrites, then converted into an <see cref="ExecutionGraph"/>. Instances are confined to one
/// rewrite, so there is no shared state between concurrent estimates.
/// </summary>
internal sealed class RewritableGraph
{
    private readonly List<RewritableVertex> _vertices = [];
    private long _sequence;

    public IReadOnlyList<RewritableVertex> Vertices => _vertices;

    public RewritableVertex Add(RewritableVertex vertex)
    {
        _vertices.Add(vertex);
        return vertex;
    }

    /// <summary>Appends a dependency (duplicates allowed, as in the reference).</summary>
    public void Connect(RewritableVertex parent, RewritableVertex child)
    {
        var edge = new RewritableEdge(parent, child, _sequence++);
        parent.Children.Add(edge);
        child.Parents.Add(edge);
    }

    /// <summary>Connects unless <paramref name="child"/> already is a child of <paramref name="parent"/>.</summary>
    public void ConnectOnce(RewritableVertex parent, RewritableVertex child)
    {
        if (!HasChild(parent, child))
        {
            Connect(parent, child);
        }
    }

    public static bool HasChild(RewritableVertex parent, RewritableVertex child)
    {
        foreach (var e in parent.Children)
        {
            if (ReferenceEquals(e.Child, child))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes the first parent → child dependency, if any, keeping the order of the rest.</summary>
    public static void Disconnect(RewritableVertex parent, RewritableVertex child)
    {
        var at = parent.Children.FindIndex(e => ReferenceEquals(e.Child, child));
        if (at < 0)
        {
            return;
        }

        var edge = parent.Children[at];
        parent.Children.RemoveAt(at);
        child.Parents.Remove(edge);
    }

    public static List<RewritableVertex> ChildrenOf(RewritableVertex v)
    {
        var list = new List<RewritableVertex>(v.Children.Count);
        foreach (var e in v.Children)
        {
            list.Add(e.Child);
        }

        return list;
    }

    public static List<RewritableVertex> ParentsOf(RewritableVertex v)
    {
        var list = new List<RewritableVertex>(v.Parents.Count);
        foreach (var e in v.Parents)
        {
            list.Add(e.Parent);
        }

        return list;
    }

    /// <summary>Copies an execution graph into rewritable form.</summary>
    public static (RewritableGraph Graph, Dictionary<GraphVertex, RewritableVertex> Map) From(ExecutionGraph source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var graph = new RewritableGraph();
        var map = new Dictionary<GraphVertex, RewritableVertex>(source.Vertices.Count, ReferenceEqualityComparer.Instance);
        var copies = new RewritableVertex[source.Vertices.Count];
        foreach (var v in source.Vertices)
        {
            map[v] = copies[v.Index] = graph.Add(Copy(v));
        }

        // Dependencies go in in an order consistent with every children list and every parents list of the source, so
        // that materialising later reproduces both.
        foreach (var (parent, child) in source.DependenciesInListOrder())
        {
            graph.Connect(copies[parent], copies[child]);
        }

        return (graph, map);
    }

    public static RewritableVertex Copy(GraphVertex v)
    {
        switch (v)
        {
            case ComputeVertex c:
                return new RewritableVertex(RewritableVertexType.Compute, c.Name, c.OpId)
                {
                    DurationSeconds = c.DurationSeconds,
                    Role = c.Role,
                    HardwareId = c.HardwareId,
                    IsForward = c.IsForward,
                    MemoryKind = c.MemoryKind,
                    IsRecompute = c.IsRecompute,
                    IsParamGather = c.IsParamGather,
                    MicroBatch = c.MicroBatch,
                    Layer = c.Layer,
                    Stage = c.Stage,
                    Direction = c.Direction,
                    TpRank = c.TpRank,
                    CpRank = c.CpRank,
                    IsMoeLayer = c.IsMoeLayer,
                };
            case CommunicationVertex e:
                return new RewritableVertex(RewritableVertexType.Communication, e.Name, e.OpId)
                {
                    DurationSeconds = e.DurationSeconds,
                    Role = e.Role,
                    Direction = e.Direction,
                    Kind = e.Kind,
                    SizeBytes = e.SizeBytes,
                    Participants = e.Participants,
                    Axis = e.Axis,
                    IsDataParallel = e.IsDataParallel,
                    LocalHardwareId = e.LocalHardwareId,
                    TpShard = e.TpShard,
                    IsCrossLayer = e.IsCrossLayer,
                    Stage = e.Stage,
                    TpRank = e.TpRank,
                    CpRank = e.CpRank,
                };
            case RootVertex r:
                return new RewritableVertex(RewritableVertexType.Root, r.Name, r.OpId)
                {
                    DurationSeconds = r.DurationSeconds,
                    Role = r.Role,
                    BatchId = r.BatchId,
                };
            default:
                throw new ArgumentException($"Unsupported vertex type {v.GetType().Name}.", nameof(v));
        }
    }

    /// <summary>
    /// Builds the execution graph. Every vertex is kept (also ones the root cannot reach: a parent that
    /// never runs must still hold its children back, as in the reference). Dependencies are added in
    /// creation order, which reproduces both children and parents list orders.
    /// </summary>
    public ExecutionGraph Materialize(RewritableVertex root, int minimumDeviceCount)
    {
        var graph = new ExecutionGraph(minimumDeviceCount);
        // Vertices keep their position here as their index there (a per-rank graph has 10⁵–10⁶ of them: no map).
        for (var i = 0; i < _vertices.Count; i++)
        {
            _vertices[i].MaterializedIndex = i;
            graph.Add(ToVertex(_vertices[i]));
        }

        // Live dependencies in creation order: sequences are unique and below _sequence, so placing each edge at its
        // sequence replaces a sort (removed edges leave gaps).
        var bySequence = new RewritableEdge?[_sequence];
        foreach (var v in _vertices)
        {
            foreach (var e in v.Children) bySequence[e.Sequence] = e;
        }

        var vertices = graph.Vertices;
        foreach (var e in bySequence)
        {
            if (e is not null) graph.Connect(vertices[e.Parent.MaterializedIndex], vertices[e.Child.MaterializedIndex]);
        }

        graph.DesignateRoot(vertices[root.MaterializedIndex]);
        return graph;
    }

    private static GraphVertex ToVertex(RewritableVertex v)
    {
        switch (v.Type)
        {
            case RewritableVertexType.Compute:
                return new ComputeVertex(v.Name, v.OpId, v.HardwareId, v.DurationSeconds)
                {
                    Role = v.Role,
                    IsForward = v.IsForward,
                    MemoryKind = v.MemoryKind,
                    IsRecompute = v.IsRecompute,
                    IsParamGather = v.IsParamGather,
                    MicroBatch = v.MicroBatch,
                    Layer = v.Layer,
                    Stage = v.Stage,
                    Direction = v.Direction,
                    TpRank = v.TpRank,
                    CpRank = v.CpRank,
                    IsMoeLayer = v.IsMoeLayer,
                };
            case RewritableVertexType.Communication:
                return new CommunicationVertex(v.Name, v.OpId, v.Kind, v.SizeBytes, v.Participants, v.Axis, v.DurationSeconds)
                {
                    Role = v.Role,
                    Direction = v.Direction,
                    IsDataParallel = v.IsDataParallel,
                    LocalHardwareId = v.LocalHardwareId,
                    TpShard = v.TpShard,
                    IsCrossLayer = v.IsCrossLayer,
                    Stage = v.Stage,
                    TpRank = v.TpRank,
                    CpRank = v.CpRank,
                };
            default:
                return new RootVertex(v.Name, v.BatchId, v.DurationSeconds) { Role = v.Role };
        }
    }
}
