using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Graphs;

/// <summary>
/// A transfer or a zero-time ordering link (the reference's <c>Edge</c>). Communications never hold a
/// device, so any number of them run at once.
/// </summary>
internal sealed class CommunicationVertex : GraphVertex
{
    /// <summary>Creates a communication vertex.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="opId">Creation-order id.</param>
    /// <param name="kind">Collective kind; ordering links use <see cref="CollectiveKind.PointToPoint"/>.</param>
    /// <param name="sizeBytes">Bytes moved; 0 for ordering links (those are never timed).</param>
    /// <param name="participants">Ranks in the collective.</param>
    /// <param name="axis">Parallelism axis whose link carries it; null for ordering links.</param>
    /// <param name="durationSeconds">Built-in transfer time: 0 for a graph still to be timed, the source's time in a copy of a timed graph.</param>
    public CommunicationVertex(string name, int opId, CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis? axis, double durationSeconds = 0)
        : base(name, opId)
    {
        _durationSeconds = durationSeconds;
        Kind = kind;
        SizeBytes = sizeBytes;
        Participants = participants;
        Axis = axis;
    }

    /// <summary>Creates a communication vertex whose name is joined only when read.</summary>
    /// <param name="name">Display name, in parts.</param>
    /// <param name="opId">Creation-order id.</param>
    /// <param name="kind">Collective kind.</param>
    /// <param name="sizeBytes">Bytes moved.</param>
    /// <param name="participants">Ranks in the collective.</param>
    /// <param name="axis">Parallelism axis whose link carries it.</param>
    public CommunicationVertex(VertexName name, int opId, CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis? axis)
        : base(name, opId)
    {
        Kind = kind;
        SizeBytes = sizeBytes;
        Participants = participants;
        Axis = axis;
    }

    /// <summary>Creates a zero-time, zero-byte ordering link (same device on both sides).</summary>
    /// <param name="name">Display name.</param>
    /// <param name="opId">Creation-order id.</param>
    /// <returns>The link.</returns>
    public static CommunicationVertex OrderingLink(string name, int opId) =>
        new(name, opId, CollectiveKind.PointToPoint, 0, 1, null);

    /// <summary>Collective kind.</summary>
    public CollectiveKind Kind { get; }

    /// <summary>Bytes moved (may be fractional, as the reference keeps them; the collective model rounds up).</summary>
    public double SizeBytes { get; }

    /// <summary>Ranks taking part.</summary>
    public int Participants { get; }

    /// <summary>Axis whose link carries the transfer; null for ordering links.</summary>
    public ParallelismAxis? Axis { get; }

    /// <summary>
    /// The transfer time the vertex was built with: 0 s in a freshly built graph (a timing pass prices it into a
    /// <see cref="VertexDurations"/> map without touching the vertex); a graph copied from a timed one (a flattened
    /// graph) carries the time its source was given.
    /// </summary>
    public override double DurationSeconds => _durationSeconds;

    private readonly double _durationSeconds;

    /// <summary>True for data-parallel gradient/parameter synchronisation.</summary>
    public bool IsDataParallel { get; init; }

    /// <summary>Device the transfer is issued from, where recorded.</summary>
    public int? LocalHardwareId { get; init; }

    /// <summary>True when the flattener must replicate it per tensor/context rank (ZeRO-3 layer gathers).</summary>
    public bool TpShard { get; init; }

    /// <summary>True for activation transfers between pipeline stages (flattened graphs).</summary>
    public bool IsCrossLayer { get; init; }

    /// <summary>Pass the transfer serves, where recorded (ZeRO-3 parameter gathers).</summary>
    public PassDirection? Direction { get; init; }

    /// <summary>Pipeline stage, where recorded.</summary>
    public int? Stage { get; init; }

    /// <summary>Tensor-parallel rank that issues it (per-rank graphs only).</summary>
    public int? TpRank { get; init; }

    /// <summary>Context-parallel rank that issues it (per-rank graphs only).</summary>
    public int? CpRank { get; init; }

    /// <summary>True for a zero-byte ordering link on one device.</summary>
    public bool IsOrderingLink => SizeBytes <= 0 && Axis is null;
}
