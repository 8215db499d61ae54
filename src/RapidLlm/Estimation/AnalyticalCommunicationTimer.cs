using RapidLlm.Configuration;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Estimation;

/// <summary>Prices a communication with the analytical collectives on the link its parallelism axis uses.</summary>
/// <param name="collectives">The collective model of the device.</param>
/// <param name="network">The network resolved for the run type.</param>
public sealed class AnalyticalCommunicationTimer(AnalyticalCollectives collectives, ResolvedNetwork network) : ICommunicationTimer
{
    /// <inheritdoc />
    public double CollectiveSeconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis axis) =>
        collectives.TimeSeconds(kind, sizeBytes, participants, network.LinkFor(axis));
}
