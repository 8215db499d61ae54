using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Tests.Graphs;

/// <summary>
/// Test-local copy of the analytical collective formulas (REFERENCE_MAP §3.8), with the level-0
/// roofline for the memcopy and preparation terms. The real model lives in another work package.
/// </summary>
internal sealed class ReferenceCollectiveModel(
    IReadOnlyDictionary<ParallelismAxis, Link> links,
    double throughputFlopsPerSecond,
    double level0BandwidthBytesPerSecond,
    double level0LatencySeconds,
    double kernelOverheadSeconds) : ICommunicationTimer
{
    public double CollectiveSeconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis axis)
    {
        if (participants <= 1 || sizeBytes <= 0)
        {
            return 0.0;
        }

        var link = links[axis];
        var ib = link.BandwidthBytesPerSecond;
        var ll = link.LatencySeconds;
        var sb = Math.Ceiling(sizeBytes);
        var p = participants;
        double network;
        if (kind == CollectiveKind.PointToPoint)
        {
            network = ib == 0 ? double.PositiveInfinity : sb / ib + ll;
        }
        else if (ib == 0)
        {
            network = double.PositiveInfinity;
        }
        else
        {
            network = kind switch
            {
                CollectiveKind.AllReduce =>
                    ((sb / p / ib) + Roofline(0, Math.Ceiling(2 * sb / p)) + ll) * 2 * (p - 1)
                    + Roofline(sb / p, Math.Ceiling(3 * sb / p)) * (p - 1),
                CollectiveKind.ReduceScatter =>
                    ((sb / p / ib) + Roofline(0, Math.Ceiling(2 * sb / p)) + ll) * (p - 1)
                    + (Roofline(sb / p, Math.Ceiling(3 * sb / p)) + kernelOverheadSeconds) * (p - 1),
                CollectiveKind.AllGather =>
                    ((sb / ib) + Roofline(0, Math.Ceiling(2 * sb / p)) + ll) * (p - 1),
                _ => ((sb / p) / ib + ll) * (p - 1),
            };
        }

        var overhead = kind is CollectiveKind.AllReduce or CollectiveKind.ReduceScatter or CollectiveKind.AllGather
            ? kernelOverheadSeconds
            : 0.0;
        return network + overhead;
    }

    private double Roofline(double flop, double bytes)
    {
        var bw = level0BandwidthBytesPerSecond;
        var inflection = bw == 0 ? double.PositiveInfinity : throughputFlopsPerSecond / bw;
        var intensity = bytes == 0 ? double.PositiveInfinity : flop / bytes;
        if (intensity < inflection)
        {
            return (bw == 0 || bytes == 0 ? double.PositiveInfinity : bytes / bw) + level0LatencySeconds;
        }

        return throughputFlopsPerSecond == 0 ? double.PositiveInfinity : flop / throughputFlopsPerSecond;
    }
}
