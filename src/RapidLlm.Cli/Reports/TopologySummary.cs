using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Network;

namespace RapidLlm.Reports;

/// <summary>The reference's TOPOLOGY/NETWORK lines: the parallelism degrees and each network dimension's size.</summary>
internal static class TopologySummary
{
    private static readonly ParallelismAxis[] PrintOrder =
        [ParallelismAxis.Tp, ParallelismAxis.Cp, ParallelismAxis.Ep, ParallelismAxis.Pp, ParallelismAxis.Dp];

    /// <summary>The lines for a training run.</summary>
    /// <param name="hardware">The hardware description.</param>
    /// <param name="network">The network resolved for training.</param>
    public static IReadOnlyList<string> Training(HardwareConfig hardware, ResolvedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(network);
        var lines = new List<string>
        {
            "Parallelisms: " + Degrees(network),
            $"Network Topology [dims={network.Dimensions.Count}]",
        };
        long total = 1;
        foreach (var dim in network.Dimensions)
        {
            lines.Add(DimensionLine(dim, network));
            total *= dim.Size;
        }

        lines.Add($"  ⇒  total {total} devices");
        return lines;
    }

    /// <summary>The lines for an inference run, with the replica count that scales throughput only.</summary>
    /// <param name="hardware">The hardware description.</param>
    /// <param name="network">The network resolved for inference.</param>
    public static IReadOnlyList<string> Inference(HardwareConfig hardware, ResolvedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(network);
        // Dimensions that carry only data parallelism do not exist in one inference replica.
        var shown = network.Dimensions
            .Where(d => d.Parallelisms.Count == 0 || d.Parallelisms.Any(a => a != ParallelismAxis.Dp))
            .ToList();
        var lines = new List<string>
        {
            "Parallelisms: " + Degrees(network),
            $"Network Topology [dims={shown.Count}]",
        };
        lines.AddRange(shown.Select(d => DimensionLine(d, network)));
        var perReplica = network.Dimensions.Aggregate(1L, (acc, d) => acc * d.Size);
        var replicas = Math.Max(1, hardware.Parallelism.Inference.ReplicaCount);
        lines.Add($"  replica_count: {replicas} (throughput-only)");
        lines.Add($"  => aggregate = {perReplica} GPUs per modeled replica");
        lines.Add($"  => effective total GPUs = {perReplica * replicas}");
        return lines;
    }

    private static string Degrees(ResolvedNetwork network) =>
        string.Join(", ", PrintOrder.Select(a => $"{Name(a)}:{network.SizeOf(a)}"));

    private static string DimensionLine(NetworkDimensionConfig dim, ResolvedNetwork network)
    {
        var terms = dim.Parallelisms.Select(a => $"{Name(a)} {network.SizeOf(a)}").ToList();
        var axes = terms.Count > 0 ? string.Join(" × ", terms) : "(none)";
        return $"  • {dim.Id} {dim.Label} : {axes} ⇒ size {dim.Size}";
    }

    /// <summary>The reference's lower-case axis name.</summary>
    /// <param name="axis">The axis.</param>
    public static string Name(ParallelismAxis axis) => axis switch
    {
        ParallelismAxis.Tp => "tp",
        ParallelismAxis.Cp => "cp",
        ParallelismAxis.Ep => "ep",
        ParallelismAxis.Pp => "pp",
        ParallelismAxis.Dp => "dp",
        _ => axis.ToString().ToLowerInvariant(),
    };
}
