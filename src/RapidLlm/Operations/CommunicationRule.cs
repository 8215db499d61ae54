using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>How a transformer-graph operator's communication is issued in one direction under one mode.</summary>
/// <param name="Kind">The collective.</param>
/// <param name="Participants">The axis whose degree gives the participants.</param>
/// <param name="Interconnect">The axis whose network carries it in the graph.</param>
internal sealed record CommunicationRule(CollectiveKind Kind, ParallelismAxis Participants, ParallelismAxis Interconnect);
