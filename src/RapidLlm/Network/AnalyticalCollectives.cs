using RapidLlm.Common;
using RapidLlm.Compute;
using RapidLlm.Hardware;

namespace RapidLlm.Network;

/// <summary>
/// Closed-form ring-style times of collectives and point-to-point transfers on one link, as the reference's
/// analytical network model computes them (no congestion, no hierarchy, no overlap).
/// </summary>
/// <remarks>
/// Local memory copies and reduction prep are priced with the level-0 (register file) roofline, which is what the
/// reference does when it passes a bare byte count. The kernel overhead is added to all-reduce, reduce-scatter and
/// all-gather only.
/// </remarks>
internal sealed class AnalyticalCollectives
{
    private readonly Roofline _roofline;

    /// <summary>Creates the collective model of a device.</summary>
    /// <param name="hardware">The device whose level-0 roofline prices local copies and reductions.</param>
    /// <param name="kernelOverheadSeconds">Kernel launch overhead O.</param>
    public AnalyticalCollectives(HardwareModel hardware, double kernelOverheadSeconds)
    {
        _roofline = new Roofline(hardware);
        KernelOverheadSeconds = kernelOverheadSeconds;
    }

    /// <summary>Kernel launch overhead O added to AR/RS/AG.</summary>
    public double KernelOverheadSeconds { get; }

    /// <summary>The time of one communication.</summary>
    /// <param name="kind">What is communicated.</param>
    /// <param name="sizeBytes">Message size; rounded up to whole bytes.</param>
    /// <param name="participants">Ranks taking part; 1 or fewer means no communication.</param>
    /// <param name="link">The link carrying the traffic.</param>
    /// <returns>Seconds: 0 when there is nothing to send, +infinity on a zero-bandwidth link.</returns>
    public double TimeSeconds(CollectiveKind kind, double sizeBytes, int participants, Link link)
    {
        if (participants <= 1 || !(sizeBytes > 0))
        {
            return 0.0;
        }

        var bytes = Math.Ceiling(sizeBytes);
        return kind switch
        {
            CollectiveKind.AllReduce => AllReduceSeconds(bytes, participants, link) + KernelOverheadSeconds,
            CollectiveKind.ReduceScatter => ReduceScatterSeconds(bytes, participants, link) + KernelOverheadSeconds,
            CollectiveKind.AllGather => AllGatherSeconds(bytes, participants, link) + KernelOverheadSeconds,
            CollectiveKind.AllToAll => AllToAllSeconds(bytes, participants, link),
            CollectiveKind.PointToPoint => PointToPointSeconds(bytes, link),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown collective kind."),
        };
    }

    // Each ring step copies the 2/p share through local memory.
    private double StepCopySeconds(double bytes, int participants) =>
        _roofline.TimeAtRegisterLevelSeconds(0, Math.Ceiling(2 * bytes / participants));

    // Reducing one 1/p chunk: one flop per element-byte, reading two operands and writing one.
    private double ReductionPrepSeconds(double bytes, int participants) =>
        _roofline.TimeAtRegisterLevelSeconds(bytes / participants, Math.Ceiling(3 * bytes / participants));

    private double AllReduceSeconds(double bytes, int participants, Link link)
    {
        if (link.BandwidthBytesPerSecond == 0)
        {
            return double.PositiveInfinity;
        }

        var shard = bytes / participants;
        var transfer = (shard / link.BandwidthBytesPerSecond + StepCopySeconds(bytes, participants) + link.LatencySeconds)
            * 2 * (participants - 1);
        var prep = ReductionPrepSeconds(bytes, participants) * (participants - 1);
        return transfer + prep;
    }

    private double ReduceScatterSeconds(double bytes, int participants, Link link)
    {
        if (link.BandwidthBytesPerSecond == 0)
        {
            return double.PositiveInfinity;
        }

        var shard = bytes / participants;
        var transfer = (shard / link.BandwidthBytesPerSecond + StepCopySeconds(bytes, participants) + link.LatencySeconds)
            * (participants - 1);
        // Unlike all-reduce, every reduction step also pays a kernel launch here.
        var prep = (ReductionPrepSeconds(bytes, participants) + KernelOverheadSeconds) * (participants - 1);
        return transfer + prep;
    }

    // The whole size crosses the link per step: callers pass the gathered total (the reference's convention).
    private double AllGatherSeconds(double bytes, int participants, Link link) =>
        link.BandwidthBytesPerSecond == 0
            ? double.PositiveInfinity
            : (bytes / link.BandwidthBytesPerSecond + StepCopySeconds(bytes, participants) + link.LatencySeconds)
                * (participants - 1);

    private static double AllToAllSeconds(double bytes, int participants, Link link) =>
        link.BandwidthBytesPerSecond == 0
            ? double.PositiveInfinity
            : (bytes / participants / link.BandwidthBytesPerSecond + link.LatencySeconds) * (participants - 1);

    private static double PointToPointSeconds(double bytes, Link link) =>
        link.BandwidthBytesPerSecond == 0
            ? double.PositiveInfinity
            : bytes / link.BandwidthBytesPerSecond + link.LatencySeconds;
}
