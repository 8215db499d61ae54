using System.Globalization;
using System.Text.RegularExpressions;

namespace RapidLlm.AstraSim.Running;

/// <summary>Reads AstraSim's per-rank wall times from its console output.</summary>
internal static partial class AstraSimOutputParser
{
    /// <summary>AstraSim cycles of the analytical backend are nanoseconds.</summary>
    public const double SecondsPerCycle = 1e-9;

    /// <summary>
    /// Wall times of every <c>sys[N], Wall time: C</c> line, indexed by rank N. The reference keeps them in print
    /// order; indexing by rank gives the same set and a stable order. Repeated ranks keep their last value.
    /// </summary>
    public static IReadOnlyDictionary<int, long> WallTimeCyclesByRank(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var times = new SortedDictionary<int, long>();
        foreach (Match match in WallTimeLine().Matches(output))
        {
            var rank = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            times[rank] = long.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        }

        return times;
    }

    [GeneratedRegex(@"sys\[(\d+)\],\s*Wall time:\s*(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex WallTimeLine();
}
