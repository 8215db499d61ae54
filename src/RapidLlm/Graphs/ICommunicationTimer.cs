using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Graphs;

/// <summary>Times one collective; implemented by the network model.</summary>
internal interface ICommunicationTimer
{
    /// <summary>Seconds one collective takes.</summary>
    /// <param name="kind">Collective kind.</param>
    /// <param name="sizeBytes">Bytes as recorded on the graph (the model decides how to round).</param>
    /// <param name="participants">Ranks taking part.</param>
    /// <param name="axis">Axis whose link carries it.</param>
    /// <returns>Duration in seconds.</returns>
    double CollectiveSeconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis axis);
}
