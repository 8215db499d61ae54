using RapidLlm.Network;

namespace RapidLlm.Graphs;

/// <summary>One entry of the communication rules table: what an op sends after it runs.</summary>
/// <param name="Kind">Collective kind.</param>
/// <param name="ParticipantsAxis">Axis whose degree gives the participant count.</param>
/// <param name="InterconnectAxis">Axis whose link carries the traffic (differs from the participants axis in two hybrid rules).</param>
public sealed record TransformerCommunicationRule(CollectiveKind Kind, ParallelismAxis ParticipantsAxis, ParallelismAxis InterconnectAxis);
