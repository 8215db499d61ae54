using RapidLlm.AstraSim.Chakra;
using RapidLlm.AstraSim.Traces;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// Runs a converted workload the way AstraSim issues it, with free communication: a node becomes ready when its
/// control and data dependencies are done; each rank runs one compute node at a time (the ready one with the lowest
/// id first, as AstraSim's dependency-free queue does); a send is done when issued, a receive when its send (same
/// source, destination and tag) is; a collective is done when every member of its group has issued its k-th collective
/// on that group. Lets CI check that a trace encodes a schedule (order and makespan) without the binary.
/// </summary>
internal static class ChakraTraceExecutor
{
    /// <summary>What a run did: makespan in microseconds and each rank's compute nodes in start order.</summary>
    public sealed record Run(double MakespanMicros, IReadOnlyList<IReadOnlyList<Node>> ComputeOrder);

    public static Run Execute(ChakraWorkload workload)
    {
        var traces = workload.Traces;
        var ranks = traces.Count;
        var byId = traces.Select(t => t.Nodes.ToDictionary(n => n.Id)).ToArray();
        var dependents = traces.Select(t => new Dictionary<ulong, List<ulong>>()).ToArray();
        var missing = traces.Select(t => new Dictionary<ulong, int>()).ToArray();
        for (var r = 0; r < ranks; r++)
        {
            foreach (var node in traces[r].Nodes)
            {
                var deps = node.CtrlDeps.Concat(node.DataDeps).Distinct().ToList();
                missing[r][node.Id] = deps.Count;
                foreach (var dep in deps)
                {
                    if (!dependents[r].TryGetValue(dep, out var list)) dependents[r][dep] = list = [];
                    list.Add(node.Id);
                }
            }
        }

        var events = new PriorityQueue<(int Rank, ulong Id), (double Time, long Order)>();
        long order = 0;
        var readyCompute = Enumerable.Range(0, ranks).Select(_ => new SortedSet<ulong>()).ToArray();
        var busy = new bool[ranks];
        var computeOrder = Enumerable.Range(0, ranks).Select(_ => new List<Node>()).ToArray();
        var sendsDone = new Dictionary<(int Src, int Dst, long Tag), double>();
        var waitingReceives = new Dictionary<(int Src, int Dst, long Tag), List<(int Rank, ulong Id, double Time)>>();
        var collectiveCounts = new Dictionary<(string Group, int Rank), int>();
        var collectiveArrivals = new Dictionary<(string Group, int Instance), List<(int Rank, ulong Id, double Time)>>();
        var done = 0;
        var total = traces.Sum(t => t.Nodes.Count);
        double makespan = 0;

        void Complete(int rank, ulong id, double time) => events.Enqueue((rank, id), (time, order++));

        void StartCompute(int rank, double time)
        {
            if (busy[rank] || readyCompute[rank].Count == 0) return;
            var id = readyCompute[rank].Min;
            readyCompute[rank].Remove(id);
            busy[rank] = true;
            var node = byId[rank][id];
            computeOrder[rank].Add(node);
            Complete(rank, id, time + node.DurationMicros);
        }

        void Ready(int rank, ulong id, double time)
        {
            var node = byId[rank][id];
            switch (node.Type)
            {
                case NodeType.CompNode:
                    readyCompute[rank].Add(id);
                    StartCompute(rank, time);
                    break;
                case NodeType.CommSendNode:
                {
                    var key = (rank, (int)ChakraNodes.IntegerAttribute(node, "comm_dst")!.Value, ChakraNodes.IntegerAttribute(node, "comm_tag")!.Value);
                    sendsDone[key] = time;
                    Complete(rank, id, time);
                    if (waitingReceives.Remove(key, out var receivers))
                    {
                        foreach (var (r, rid, t) in receivers) Complete(r, rid, Math.Max(t, time));
                    }

                    break;
                }

                case NodeType.CommRecvNode:
                {
                    var key = ((int)ChakraNodes.IntegerAttribute(node, "comm_src")!.Value, rank, ChakraNodes.IntegerAttribute(node, "comm_tag")!.Value);
                    if (sendsDone.TryGetValue(key, out var sent)) Complete(rank, id, Math.Max(sent, time));
                    else
                    {
                        if (!waitingReceives.TryGetValue(key, out var list)) waitingReceives[key] = list = [];
                        list.Add((rank, id, time));
                    }

                    break;
                }

                default:
                {
                    var group = ChakraNodes.StringAttribute(node, "pg_name") ?? "all";
                    var members = group == "all" ? Enumerable.Range(0, ranks).ToList() : workload.CommGroups[group].ToList();
                    var instance = collectiveCounts.GetValueOrDefault((group, rank));
                    collectiveCounts[(group, rank)] = instance + 1;
                    if (!collectiveArrivals.TryGetValue((group, instance), out var arrived)) collectiveArrivals[(group, instance)] = arrived = [];
                    arrived.Add((rank, id, time));
                    if (arrived.Count == members.Count)
                    {
                        var at = arrived.Max(a => a.Time);
                        foreach (var (r, cid, _) in arrived) Complete(r, cid, at);
                    }

                    break;
                }
            }
        }

        for (var r = 0; r < ranks; r++)
        {
            foreach (var node in traces[r].Nodes.Where(n => missing[r][n.Id] == 0).ToList())
            {
                Ready(r, node.Id, 0);
            }
        }

        while (events.TryDequeue(out var item, out var key))
        {
            var (rank, id) = item;
            done++;
            makespan = Math.Max(makespan, key.Time);
            if (byId[rank][id].Type == NodeType.CompNode) busy[rank] = false;
            foreach (var next in dependents[rank].GetValueOrDefault(id) ?? [])
            {
                if (--missing[rank][next] == 0) Ready(rank, next, key.Time);
            }

            StartCompute(rank, key.Time);
        }

        if (done != total)
        {
            throw new AssertionException($"The traces deadlock: {total - done} of {total} nodes never ran.");
        }

        return new Run(makespan, computeOrder);
    }
}
