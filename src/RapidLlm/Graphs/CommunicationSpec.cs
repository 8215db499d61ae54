using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Graphs;

/// <summary>
/// What one kind of graph communication moves (the reference's <c>comm_metadata</c> entry).
/// </summary>
/// <param name="Kind">Collective kind.</param>
/// <param name="SizeBytes">Bytes per collective, as the collective model receives them.</param>
/// <param name="Participants">Ranks taking part.</param>
/// <param name="Axis">Axis whose link carries it.</param>
/// <param name="TpShard">True when the flattener replicates it per tensor/context rank.</param>
internal sealed record CommunicationSpec(
    CollectiveKind Kind,
    double SizeBytes,
    int Participants,
    ParallelismAxis Axis,
    bool TpShard = false);
