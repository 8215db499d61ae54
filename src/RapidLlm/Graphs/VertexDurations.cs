namespace RapidLlm.Graphs;

/// <summary>
/// How long each vertex of one graph takes, in seconds, indexed by <see cref="GraphVertex.Index"/>. Timing a graph
/// produces one of these instead of writing into its vertices, so one built graph can be timed by several models at
/// once and a backend never changes the graph it was handed. Immutable.
/// </summary>
internal sealed class VertexDurations
{
    private readonly double[] _seconds;

    private VertexDurations(double[] seconds) => _seconds = seconds;

    /// <summary>Number of vertices covered (the graph's vertex count).</summary>
    public int Count => _seconds.Length;

    /// <summary>Seconds per vertex, in <see cref="GraphVertex.Index"/> order.</summary>
    public IReadOnlyList<double> Seconds => _seconds;

    /// <summary>Seconds one vertex takes.</summary>
    /// <param name="vertex">A vertex of the graph these durations were made for.</param>
    /// <returns>Seconds.</returns>
    public double this[GraphVertex vertex]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(vertex);
            return _seconds[vertex.Index];
        }
    }

    /// <summary>
    /// The durations the vertices were built with: compute and root times, and the transfer times a graph copied from
    /// a timed one carries (flattened graphs); transfers nobody priced are 0 s.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The built-in durations.</returns>
    public static VertexDurations Intrinsic(ExecutionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var vertices = graph.Vertices;
        var seconds = new double[vertices.Count];
        for (var i = 0; i < seconds.Length; i++)
        {
            seconds[i] = vertices[i].DurationSeconds;
        }

        return new VertexDurations(seconds);
    }

    /// <summary>The built-in durations of <paramref name="graph"/> with some vertices priced anew.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="priced">Seconds for the vertices a timing model priced.</param>
    /// <returns>The durations.</returns>
    internal static VertexDurations WithPriced(ExecutionGraph graph, IEnumerable<(GraphVertex Vertex, double Seconds)> priced)
    {
        ArgumentNullException.ThrowIfNull(priced);
        var seconds = Intrinsic(graph)._seconds;
        foreach (var (vertex, value) in priced)
        {
            seconds[vertex.Index] = value;
        }

        return new VertexDurations(seconds);
    }

    /// <summary>The built-in durations of <paramref name="graph"/> with some vertices priced anew by <paramref name="price"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="price">Writes seconds into the array, by <see cref="GraphVertex.Index"/>, over the built-in ones.</param>
    /// <returns>The durations.</returns>
    internal static VertexDurations WithPriced(ExecutionGraph graph, Action<double[]> price)
    {
        var seconds = Intrinsic(graph)._seconds;
        price(seconds);
        return new VertexDurations(seconds);
    }

    /// <summary>Throws unless these durations cover exactly the vertices of <paramref name="graph"/>.</summary>
    /// <param name="graph">The graph about to be read with them.</param>
    internal void EnsureCovers(ExecutionGraph graph)
    {
        if (graph.Vertices.Count != _seconds.Length)
        {
            throw new ArgumentException($"The durations cover {_seconds.Length} vertices but the graph has {graph.Vertices.Count}.", nameof(graph));
        }
    }
}
