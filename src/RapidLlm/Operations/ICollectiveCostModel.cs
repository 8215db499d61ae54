using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>The analytical collective model.</summary>
internal interface ICollectiveCostModel
{
    /// <summary>Time of one collective, kernel overhead included where the model adds it.</summary>
    /// <param name="kind">The collective.</param>
    /// <param name="sizeBytes">Bytes as the caller computed them (the model rounds up).</param>
    /// <param name="participants">Ranks taking part; 1 or fewer costs nothing.</param>
    /// <param name="link">The link the transfer uses.</param>
    /// <returns>Seconds.</returns>
    double Seconds(CollectiveKind kind, double sizeBytes, int participants, Link link);
}
