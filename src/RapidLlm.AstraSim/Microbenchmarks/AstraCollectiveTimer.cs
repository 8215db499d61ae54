using System.Collections.Concurrent;
using RapidLlm.AstraSim.Execution;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Graphs;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.AstraSim.Microbenchmarks;

/// <summary>
/// Prices collectives with single-collective AstraSim microbenchmarks (the reference's network model under the hybrid
/// and full policies): the slowest rank's wall time plus the kernel-launch overhead for all-reduce, reduce-scatter and
/// all-gather, as the analytical model adds it. Point-to-point transfers stay analytical, as in the reference. Each
/// distinct (collective, size, ranks, axis) runs once per timer.
/// </summary>
internal sealed class AstraCollectiveTimer : ICommunicationTimer, ICollectiveCostModel
{
    private static readonly ParallelismAxis[] AxisOrder = [ParallelismAxis.Tp, ParallelismAxis.Cp, ParallelismAxis.Ep, ParallelismAxis.Pp, ParallelismAxis.Dp];

    private readonly AstraGraphSimulator _simulator;
    private readonly RunType _runType;
    private readonly ResolvedNetwork _network;
    private readonly double _kernelOverheadSeconds;
    private readonly ICommunicationTimer _pointToPoint;
    private readonly bool _pipelineOnOwnAxis;
    private readonly ConcurrentDictionary<(CollectiveKind, long, int, ParallelismAxis?), double> _seconds;
    private readonly CancellationToken _cancellation;

    /// <summary>Creates the timer.</summary>
    /// <param name="simulator">Runs the microbenchmarks.</param>
    /// <param name="runType">Training or inference (selects the axis sizes the network is planned with).</param>
    /// <param name="network">The resolved network, used to tell which axis a link belongs to.</param>
    /// <param name="kernelOverheadSeconds">Kernel-launch overhead added to all-reduce, reduce-scatter and all-gather.</param>
    /// <param name="pointToPoint">Prices point-to-point transfers (the analytical timer).</param>
    /// <param name="pipelineCollectivesOnOwnAxis">
    /// Price pipeline-graph collectives (the data-parallel gradient all-reduce) on the dimension of their own axis; false
    /// follows the reference, which passes no axis so the greedy tp-first rule picks the dimension.
    /// </param>
    public AstraCollectiveTimer(
        AstraGraphSimulator simulator, RunType runType, ResolvedNetwork network, double kernelOverheadSeconds, ICommunicationTimer pointToPoint,
        bool pipelineCollectivesOnOwnAxis = false)
    {
        _pipelineOnOwnAxis = pipelineCollectivesOnOwnAxis;
        _seconds = new();
        _simulator = simulator ?? throw new ArgumentNullException(nameof(simulator));
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _pointToPoint = pointToPoint ?? throw new ArgumentNullException(nameof(pointToPoint));
        _runType = runType;
        _kernelOverheadSeconds = kernelOverheadSeconds;
    }

    // A view sharing the other timer's cache, whose runs stop with the token.
    private AstraCollectiveTimer(AstraCollectiveTimer other, CancellationToken cancellation)
    {
        (_simulator, _runType, _network, _kernelOverheadSeconds, _pointToPoint, _pipelineOnOwnAxis, _seconds) =
            (other._simulator, other._runType, other._network, other._kernelOverheadSeconds, other._pointToPoint, other._pipelineOnOwnAxis, other._seconds);
        _cancellation = cancellation;
    }

    /// <summary>Microbenchmarks run so far (distinct collectives).</summary>
    public int BenchmarkCount => _seconds.Count;

    /// <summary>
    /// Pipeline-graph communication. The reference prices these without an axis, so the greedy tp-first rule picks the
    /// dimension (a data-parallel all-reduce of 2 ranks lands on the tp dimension when tp = 2); this follows it unless
    /// the timer prices pipeline collectives on their own axis (the calibrated model: dp traffic on the dp dimension).
    /// </summary>
    public double CollectiveSeconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis axis) =>
        kind == CollectiveKind.PointToPoint
            ? _pointToPoint.CollectiveSeconds(kind, sizeBytes, participants, axis)
            : Seconds(kind, sizeBytes, participants, _pipelineOnOwnAxis ? axis : null);

    /// <summary>Layer-model communication (tensor, context, expert parallel), on the dimension of the link's axis.</summary>
    public double Seconds(CollectiveKind kind, double sizeBytes, int participants, Link link)
    {
        if (kind == CollectiveKind.PointToPoint)
        {
            var owner = AxisOf(link, participants) ?? ParallelismAxis.Pp;
            return _pointToPoint.CollectiveSeconds(kind, sizeBytes, participants, owner);
        }

        return Seconds(kind, sizeBytes, participants, AxisOf(link, participants));
    }

    /// <summary>One collective's time on the dimension of <paramref name="axis"/> (null: greedy tp-first choice).</summary>
    public double Seconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis? axis) =>
        Seconds(kind, sizeBytes, participants, axis, CancellationToken.None);

    /// <summary>This timer's figures (and cache), with microbenchmark runs stopped by <paramref name="cancellationToken"/>.</summary>
    /// <param name="cancellationToken">Stops the AstraSim runs (the child process is killed).</param>
    /// <returns>A view of this timer; the timer itself when the token cannot be cancelled.</returns>
    public AstraCollectiveTimer WithCancellation(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? new AstraCollectiveTimer(this, cancellationToken) : this;

    private double Seconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis? axis, CancellationToken cancellationToken)
    {
        if (participants <= 1 || !(sizeBytes > 0)) return 0.0;
        cancellationToken = _cancellation.CanBeCanceled ? _cancellation : cancellationToken;
        var bytes = (long)Math.Ceiling(sizeBytes);
        // A cancelled run throws out of the factory, so nothing is cached for it.
        var wall = _seconds.GetOrAdd((kind, bytes, participants, axis), key =>
            _simulator.SimulateCollective(new CollectiveMicrobenchmark(key.Item1, key.Item2, key.Item3), _runType, key.Item4, cancellationToken).MaxSeconds);
        return kind is CollectiveKind.AllReduce or CollectiveKind.ReduceScatter or CollectiveKind.AllGather
            ? wall + _kernelOverheadSeconds
            : wall;
    }

    // The layer model hands over a link, not an axis; the axis whose link it is and whose size matches the
    // participants is the one the reference names (tp for tensor-parallel collectives).
    private ParallelismAxis? AxisOf(Link link, int participants)
    {
        var candidates = AxisOrder.Where(a => _network.Links.Any(l => l.Axis == a) && _network.LinkFor(a) == link).ToList();
        return candidates.Where(a => _network.AxisSizes.Any(s => s.Axis == a && s.Size == participants)).Cast<ParallelismAxis?>().FirstOrDefault()
            ?? candidates.Cast<ParallelismAxis?>().FirstOrDefault();
    }
}
