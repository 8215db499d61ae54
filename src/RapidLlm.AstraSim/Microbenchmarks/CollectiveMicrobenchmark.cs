using System.Globalization;
using RapidLlm.AstraSim.Chakra;
using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Microbenchmarks;

/// <summary>
/// One collective timed alone in AstraSim: every rank's trace holds a single collective node of the full size, as the
/// reference's single-collective microbenchmarks do. The names (<c>all_reduce_8.00MB</c>) follow the reference, so
/// the traces are byte-comparable with its captured ones.
/// </summary>
/// <param name="Kind">All-reduce, reduce-scatter, all-gather or all-to-all.</param>
/// <param name="SizeBytes">Message size in whole bytes.</param>
/// <param name="Participants">Ranks taking part (the run's NPU count).</param>
internal sealed record CollectiveMicrobenchmark(CollectiveKind Kind, long SizeBytes, int Participants)
{
    /// <summary>The reference's name of the collective (<c>all_reduce</c>, ...).</summary>
    public string CommName => Kind switch
    {
        CollectiveKind.AllReduce => "all_reduce",
        CollectiveKind.ReduceScatter => "reduce_scatter",
        CollectiveKind.AllGather => "all_gather",
        CollectiveKind.AllToAll => "all_to_all",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Point-to-point transfers are not microbenchmarked."),
    };

    /// <summary>The size written like the reference's labels: two decimals of the largest binary unit reached.</summary>
    public string SizeLabel
    {
        get
        {
            (string Suffix, double Unit)[] units = [("TB", Math.Pow(1024, 4)), ("GB", Math.Pow(1024, 3)), ("MB", 1024.0 * 1024), ("KB", 1024.0)];
            foreach (var (suffix, unit) in units)
            {
                if (SizeBytes >= unit) return (SizeBytes / unit).ToString("F2", CultureInfo.InvariantCulture) + suffix;
            }

            return (SizeBytes / 1024.0).ToString("F4", CultureInfo.InvariantCulture) + "KB";
        }
    }

    /// <summary>The trace prefix name inside the microbenchmark's folder.</summary>
    public string PrefixName => $"{CommName}_{SizeLabel}";

    /// <summary>The folder under the cache root, <c>workload/&lt;comm&gt;/&lt;n&gt;npus_&lt;label&gt;</c>.</summary>
    public string RelativeFolder => Path.Combine("workload", CommName, $"{Participants.ToString(CultureInfo.InvariantCulture)}npus_{SizeLabel}");

    /// <summary>The per-rank traces.</summary>
    public IReadOnlyList<ChakraTrace> Traces()
    {
        var type = Kind switch
        {
            CollectiveKind.AllReduce => CollectiveCommType.AllReduce,
            CollectiveKind.ReduceScatter => CollectiveCommType.ReduceScatter,
            CollectiveKind.AllGather => CollectiveCommType.AllGather,
            _ => CollectiveCommType.AllToAll,
        };
        // The reference numbers the single node of rank r as r (a shared counter); AstraSim ignores ids of lone nodes,
        // and keeping the numbering keeps every trace byte-equal to the reference's.
        return [.. Enumerable.Range(0, Participants).Select(rank => new ChakraTrace(
            new GlobalMetadata { Version = ChakraTrace.SchemaVersion },
            [ChakraNodes.Collective((ulong)rank, PrefixName, type, SizeBytes)]))];
    }
}
