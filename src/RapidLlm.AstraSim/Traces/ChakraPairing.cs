using RapidLlm.AstraSim.Chakra;

namespace RapidLlm.AstraSim.Traces;

/// <summary>
/// Checks that every receive has exactly one send with the same (source, destination, tag) and the reverse. AstraSim
/// pairs point-to-point messages that way; an unpaired one makes it stop without results, so we refuse to run it.
/// </summary>
internal static class ChakraPairing
{
    /// <summary>Unpaired messages as readable lines, empty when all pair.</summary>
    public static IReadOnlyList<string> Unpaired(IReadOnlyList<ChakraTrace> traces)
    {
        var sends = new Dictionary<(long Src, long Dst, long Tag), List<string>>();
        var receives = new Dictionary<(long Src, long Dst, long Tag), List<string>>();
        for (var rank = 0; rank < traces.Count; rank++)
        {
            foreach (var node in traces[rank].Nodes)
            {
                var tag = ChakraNodes.IntegerAttribute(node, "comm_tag") ?? -1;
                if (node.Type == NodeType.CommSendNode)
                {
                    Add(sends, (rank, ChakraNodes.IntegerAttribute(node, "comm_dst") ?? -1, tag), $"rank {rank} {node.Name}");
                }
                else if (node.Type == NodeType.CommRecvNode)
                {
                    Add(receives, (ChakraNodes.IntegerAttribute(node, "comm_src") ?? -1, rank, tag), $"rank {rank} {node.Name}");
                }
            }
        }

        var problems = new List<string>();
        foreach (var key in sends.Keys.Union(receives.Keys))
        {
            var s = sends.GetValueOrDefault(key)?.Count ?? 0;
            var r = receives.GetValueOrDefault(key)?.Count ?? 0;
            if (s != r)
            {
                problems.Add($"{s} send(s) and {r} receive(s) from rank {key.Src} to rank {key.Dst} with tag {key.Tag} " +
                             $"({string.Join(", ", (sends.GetValueOrDefault(key) ?? []).Concat(receives.GetValueOrDefault(key) ?? []))})");
            }
        }

        return problems;
    }

    /// <summary>Throws when <see cref="Unpaired"/> finds anything.</summary>
    public static void EnsurePaired(IReadOnlyList<ChakraTrace> traces)
    {
        var problems = Unpaired(traces);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The generated AstraSim traces have unpaired point-to-point messages, which AstraSim would deadlock on: " +
                string.Join("; ", problems.Take(5)) + (problems.Count > 5 ? $"; and {problems.Count - 5} more" : string.Empty));
        }
    }

    private static void Add(Dictionary<(long, long, long), List<string>> map, (long, long, long) key, string what)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(what);
    }
}
