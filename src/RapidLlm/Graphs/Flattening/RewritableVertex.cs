using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Graphs.Flattening;

/// <summary>What a <see cref="RewritableVertex"/> stands for once it becomes an execution-graph vertex.</summary>
internal enum RewritableVertexType
{
    Compute,
    Communication,
    Root,
}

/// <summary>
/// A mutable vertex used while a graph is being rewritten (flattening, overlap splits, hardware-id
/// propagation). Those passes change durations, device ids and dependency lists in place, which the
/// immutable execution-graph vertices do not allow; the result is materialised once at the end.
/// </summary>
internal sealed class RewritableVertex
{
    public RewritableVertex(RewritableVertexType type, string name, int opId)
    {
        Type = type;
        Name = name;
        OpId = opId;
    }

    public RewritableVertexType Type { get; }
    /// <summary>Display name; passes never read it to decide anything (they use <see cref="Role"/>).</summary>
    public string Name { get; set; }
    public int OpId { get; }
    public double DurationSeconds { get; set; }
    public VertexRole Role { get; set; }

    /// <summary>Dependencies to children, in list order.</summary>
    public List<RewritableEdge> Children { get; } = [];

    /// <summary>Dependencies from parents, in list order.</summary>
    public List<RewritableEdge> Parents { get; } = [];

    // Compute attributes.
    public int HardwareId { get; set; } = -1;
    public bool IsForward { get; set; } = true;
    public VertexMemoryKind MemoryKind { get; set; }
    public bool IsRecompute { get; set; }
    public bool IsParamGather { get; set; }
    public int? MicroBatch { get; set; }
    public int? Layer { get; set; }
    public int? Stage { get; set; }
    public PassDirection? Direction { get; set; }
    public int? TpRank { get; set; }
    public int? CpRank { get; set; }
    public bool? IsMoeLayer { get; set; }

    // Communication attributes.
    public CollectiveKind Kind { get; set; } = CollectiveKind.PointToPoint;
    public double SizeBytes { get; set; }
    public int Participants { get; set; } = 1;
    public ParallelismAxis? Axis { get; set; }
    public bool IsDataParallel { get; set; }
    public int? LocalHardwareId { get; set; }
    public bool TpShard { get; set; }
    public bool IsCrossLayer { get; set; }

    /// <summary>True for stage-to-stage transfers and same-device ordering links (the reference's PIPELINE comm type).</summary>
    public bool IsPipelineTransfer => Type == RewritableVertexType.Communication && Kind == CollectiveKind.PointToPoint;

    public int BatchId { get; set; }

    /// <summary>Position in the graph's vertex list, set by <see cref="RewritableGraph.Materialize"/>.</summary>
    internal int MaterializedIndex { get; set; } = -1;

    public override string ToString() => $"{Name}#{OpId}";
}

/// <summary>
/// One parent → child dependency. <see cref="Sequence"/> is its creation order: both the children list
/// of the parent and the parents list of the child only ever append, so sorting live dependencies by
/// creation order reproduces every list order when the graph is materialised.
/// </summary>
internal sealed record RewritableEdge(RewritableVertex Parent, RewritableVertex Child, long Sequence);
