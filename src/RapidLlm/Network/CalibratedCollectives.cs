using RapidLlm.Common;

namespace RapidLlm.Network;

/// <summary>
/// NCCL-like collective times for the calibrated model: a fixed cost per collective (launch and synchronisation of
/// the ranks), the link latency once per algorithm step, and the bandwidth term of a ring at the link's achievable
/// bus bandwidth. Small messages (tensor-parallel decode) are dominated by the fixed cost, large ones by bandwidth.
/// </summary>
/// <remarks>
/// Sizes follow the layer model's conventions: all-reduce and reduce-scatter take the full buffer, all-gather the
/// shard each rank contributes, all-to-all the buffer each rank sends, point-to-point the message.
/// </remarks>
internal sealed class CalibratedCollectives
{
    /// <summary>Creates the model.</summary>
    /// <param name="fixedSeconds">Fixed cost of one collective.</param>
    /// <param name="linkEfficiency">Achievable fraction of a link's bandwidth.</param>
    public CalibratedCollectives(double fixedSeconds, double linkEfficiency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fixedSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkEfficiency);
        FixedSeconds = fixedSeconds;
        LinkEfficiency = linkEfficiency;
    }

    /// <summary>Fixed cost of one collective.</summary>
    public double FixedSeconds { get; }

    /// <summary>Achievable fraction of a link's bandwidth.</summary>
    public double LinkEfficiency { get; }

    /// <summary>The time of one communication.</summary>
    /// <param name="kind">What is communicated.</param>
    /// <param name="sizeBytes">Message size (see the remarks for what each kind expects).</param>
    /// <param name="participants">Ranks taking part; 1 or fewer means no communication.</param>
    /// <param name="link">The link carrying it (bandwidth × util, per-step latency).</param>
    /// <returns>Seconds: 0 when there is nothing to send, +infinity on a zero-bandwidth link.</returns>
    public double TimeSeconds(CollectiveKind kind, double sizeBytes, int participants, Link link)
    {
        if (participants <= 1 || !(sizeBytes > 0)) return 0.0;
        if (!(link.BandwidthBytesPerSecond > 0)) return double.PositiveInfinity;
        var bandwidth = link.BandwidthBytesPerSecond * LinkEfficiency;
        double p = participants;
        return kind switch
        {
            CollectiveKind.AllReduce => FixedSeconds + 2 * (p - 1) * link.LatencySeconds + 2 * (p - 1) / p * sizeBytes / bandwidth,
            CollectiveKind.ReduceScatter => FixedSeconds + (p - 1) * link.LatencySeconds + (p - 1) / p * sizeBytes / bandwidth,
            CollectiveKind.AllGather => FixedSeconds + (p - 1) * link.LatencySeconds + (p - 1) * sizeBytes / bandwidth,
            CollectiveKind.AllToAll => FixedSeconds + (p - 1) * link.LatencySeconds + (p - 1) / p * sizeBytes / bandwidth,
            CollectiveKind.PointToPoint => FixedSeconds + link.LatencySeconds + sizeBytes / bandwidth,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown collective kind."),
        };
    }
}
