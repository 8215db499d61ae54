using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>One collective an operator issues, as it was timed.</summary>
/// <param name="Kind">The collective.</param>
/// <param name="SizeBytes">Bytes as computed (before the collective model rounds up).</param>
/// <param name="Participants">Ranks taking part.</param>
/// <param name="Link">Which axis' link carried it (the reference times CP collectives on the tp link).</param>
/// <param name="TimeSeconds">Its time.</param>
internal readonly record struct CollectiveCall(
    CollectiveKind Kind,
    double SizeBytes,
    int Participants,
    ParallelismAxis Link,
    double TimeSeconds);
