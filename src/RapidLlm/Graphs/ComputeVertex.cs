namespace RapidLlm.Graphs;

/// <summary>
/// Work that occupies one device for its whole duration (the reference's <c>Node</c>).
/// </summary>
internal sealed class ComputeVertex : GraphVertex
{
    /// <summary>Creates a compute vertex.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="opId">Creation-order id.</param>
    /// <param name="hardwareId">Device index that runs it.</param>
    /// <param name="durationSeconds">Run time.</param>
    public ComputeVertex(string name, int opId, int hardwareId, double durationSeconds)
        : base(name, opId)
    {
        HardwareId = hardwareId;
        DurationSeconds = durationSeconds;
    }

    /// <summary>Creates a compute vertex whose name is joined only when read.</summary>
    /// <param name="name">Display name, in parts.</param>
    /// <param name="opId">Creation-order id.</param>
    /// <param name="hardwareId">Device index that runs it.</param>
    /// <param name="durationSeconds">Run time.</param>
    public ComputeVertex(VertexName name, int opId, int hardwareId, double durationSeconds)
        : base(name, opId)
    {
        HardwareId = hardwareId;
        DurationSeconds = durationSeconds;
    }

    /// <summary>Device index that runs the vertex; a device runs one compute vertex at a time.</summary>
    public int HardwareId { get; }

    /// <inheritdoc/>
    public override double DurationSeconds { get; }

    /// <summary>True for forward (and recompute) work, false for backward and optimizer work.</summary>
    public bool IsForward { get; init; } = true;

    /// <summary>Memory-timeline category.</summary>
    public VertexMemoryKind MemoryKind { get; init; }

    /// <summary>True for a full-recomputation forward replay inserted before a backward layer.</summary>
    public bool IsRecompute { get; init; }

    /// <summary>True on the first op of a per-rank chain, where parameters are gathered.</summary>
    public bool IsParamGather { get; init; }

    /// <summary>Micro-batch index, where the vertex belongs to one.</summary>
    public int? MicroBatch { get; init; }

    /// <summary>Transformer layer index, where the vertex belongs to one.</summary>
    public int? Layer { get; init; }

    /// <summary>Pipeline stage, where recorded.</summary>
    public int? Stage { get; init; }

    /// <summary>Pass direction, where recorded.</summary>
    public PassDirection? Direction { get; init; }

    /// <summary>Tensor-parallel rank (per-rank graphs only).</summary>
    public int? TpRank { get; init; }

    /// <summary>Context-parallel rank (per-rank graphs only).</summary>
    public int? CpRank { get; init; }

    /// <summary>True when the layer is a mixture-of-experts layer.</summary>
    public bool? IsMoeLayer { get; init; }
}
