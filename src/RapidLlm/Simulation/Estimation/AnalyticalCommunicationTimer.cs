using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Graphs;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Simulation;

/// <summary>Prices a communication with the device's collective model on the link its parallelism axis uses.</summary>
internal sealed class AnalyticalCommunicationTimer : ICommunicationTimer
{
    private readonly Func<CollectiveKind, double, int, Link, double> _seconds;
    private readonly ResolvedNetwork _network;

    /// <summary>Prices with the reference's analytical collectives.</summary>
    /// <param name="collectives">The collective model of the device.</param>
    /// <param name="network">The network resolved for the run type.</param>
    public AnalyticalCommunicationTimer(AnalyticalCollectives collectives, ResolvedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        _seconds = collectives.TimeSeconds;
        _network = network ?? throw new ArgumentNullException(nameof(network));
    }

    /// <summary>Prices with any collective model (the calibrated one, for example).</summary>
    /// <param name="collectives">The collective model of the device.</param>
    /// <param name="network">The network resolved for the run type.</param>
    public AnalyticalCommunicationTimer(ICollectiveCostModel collectives, ResolvedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        _seconds = collectives.Seconds;
        _network = network ?? throw new ArgumentNullException(nameof(network));
    }

    /// <inheritdoc />
    public double CollectiveSeconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis axis) =>
        _seconds(kind, sizeBytes, participants, _network.LinkFor(axis));
}
