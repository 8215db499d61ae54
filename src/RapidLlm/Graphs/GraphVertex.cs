namespace RapidLlm.Graphs;

/// <summary>
/// A vertex of an execution graph. Both compute work and transfers are vertices (as in the reference),
/// so a transfer can have several parents and children and is scheduled like any other event.
/// </summary>
internal abstract class GraphVertex
{
    private string? _name;
    private readonly VertexName _parts;

    private protected GraphVertex(string name, int opId)
    {
        ArgumentNullException.ThrowIfNull(name);
        _name = name;
        OpId = opId;
    }

    private protected GraphVertex(VertexName name, int opId)
    {
        _parts = name;
        OpId = opId;
    }

    /// <summary>Display name; not unique (e.g. every same-stage link is called <c>cross_layer</c>). Joined on first read.</summary>
    public string Name => _name ??= _parts.ToString();

    /// <summary>What the vertex stands for; passes decide by it, never by <see cref="Name"/>.</summary>
    public VertexRole Role { get; init; }

    /// <summary>Operation id in creation order, as the reference numbers them.</summary>
    public int OpId { get; }

    /// <summary>Dense index of the vertex inside its graph (set when added); used by algorithms for arrays.</summary>
    public int Index { get; internal set; } = -1;

    /// <summary>How long the vertex takes once started, in seconds.</summary>
    public abstract double DurationSeconds { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}#{OpId}";
}
