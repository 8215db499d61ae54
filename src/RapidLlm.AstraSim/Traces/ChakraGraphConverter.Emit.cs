using RapidLlm.AstraSim.Chakra;
using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Traces;

internal sealed partial class ChakraGraphConverter
{
    // Topological order of each stage's tasks (compute vertices and its collectives), ready tasks first-in first-out,
    // starting from graph order so the result is deterministic.
    private Dictionary<int, List<GraphVertex>> StageOrder()
    {
        var order = new Dictionary<int, List<GraphVertex>>();
        foreach (var stage in _stageIds)
        {
            var tasks = _objects.Where(v => _info.TryGetValue(v, out var i) && i.Stage == stage).ToList();
            var taskSet = tasks.ToHashSet();
            var next = tasks.ToDictionary(t => t, _ => new List<GraphVertex>());
            var indegree = tasks.ToDictionary(t => t, _ => 0);
            foreach (var task in tasks)
            {
                var info = _info[task];
                foreach (var dep in info.Local.Concat(info.Collectives))
                {
                    var sameStage = !IsCollective(dep) || _collectiveStage[dep] == stage;
                    if (sameStage && taskSet.Contains(dep) && !next[dep].Contains(task))
                    {
                        next[dep].Add(task);
                        indegree[task]++;
                    }
                }
            }

            var queue = new Queue<GraphVertex>(tasks.Where(t => indegree[t] == 0));
            var sorted = new List<GraphVertex>();
            while (queue.Count > 0)
            {
                var task = queue.Dequeue();
                sorted.Add(task);
                foreach (var child in next[task])
                {
                    if (--indegree[child] == 0) queue.Enqueue(child);
                }
            }

            if (sorted.Count != tasks.Count)
            {
                throw new InvalidOperationException($"The graph has a dependency cycle on hardware id {stage}; it cannot be written as a trace.");
            }

            order[stage] = sorted;
        }

        return order;
    }

    private void EmitNodes(Dictionary<int, List<GraphVertex>> order)
    {
        foreach (var stage in _stageIds)
        {
            foreach (var task in order[stage])
            {
                var info = _info[task];
                if (IsCollective(task) && IsOutsideExpertCollective(task))
                {
                    EmitStandIn((CommunicationVertex)task, info, stage);
                }
                else if (IsCollective(task))
                {
                    // Without replicas, data-parallel collectives have no peers and are dropped like the reference does.
                    if (_dataParallel <= 1 && !_labels.ContainsKey(task)) continue;
                    EmitCollective((CommunicationVertex)task, info, stage);
                }
                else
                {
                    EmitCompute((ComputeVertex)task, info, stage);
                }
            }
        }
    }

    // A pipeline graph's rank stands for a whole tp·cp·ep block, so an expert-parallel gradient sync has no peers in it:
    // it is kept as a compute node lasting its microbenchmarked time instead of a collective nobody else would join.
    private bool IsOutsideExpertCollective(GraphVertex task) =>
        task is CommunicationVertex { Axis: ParallelismAxis.Ep } && _layout.SizeOf(ParallelismAxis.Ep) <= 1;

    /// <summary>Trace ids, on data-parallel replica <paramref name="dp"/>, of a task's local and collective dependencies (each once).</summary>
    private List<ulong> DependencyIds(Dependencies info, int dp)
    {
        var ids = new List<ulong>();
        foreach (var dep in info.Local.Concat(info.Collectives))
        {
            var depStage = IsCollective(dep) ? _collectiveStage[dep] : StageOf(dep)!.Value;
            if (_etIds.TryGetValue((dep, RankFor(depStage, dp)), out var id) && !ids.Contains(id)) ids.Add(id);
        }

        return ids;
    }

    private void EmitStandIn(CommunicationVertex task, Dependencies info, int stage)
    {
        for (var dp = 0; dp < _dataParallel; dp++)
        {
            var rank = RankFor(stage, dp);
            var deps = DependencyIds(info, dp);

            var micros = (ulong)Math.Max(0, Math.Round(task.DurationSeconds * 1e6, MidpointRounding.ToEven));
            var node = ChakraNodes.Compute((ulong)_nodes[rank].Count, $"{task.Name}_{task.OpId}", micros);
            node.CtrlDeps.Add(deps);
            _etIds[(task, rank)] = node.Id;
            _nodes[rank].Add(node);
        }
    }

    private void EmitCollective(CommunicationVertex task, Dependencies info, int stage)
    {
        for (var dp = 0; dp < _dataParallel; dp++)
        {
            var rank = RankFor(stage, dp);
            var deps = DependencyIds(info, dp);

            var labelled = _labels.TryGetValue(task, out var label);
            var name = labelled ? label! : $"{task.Name}_{task.OpId}_dp{dp}";
            var group = labelled
                ? _labelGroups.GetValueOrDefault((label!, dp))
                : _dataParallel > 1 ? (_stageIndex[stage] + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            var node = ChakraNodes.Collective((ulong)_nodes[rank].Count, name, CollectiveType(task.Kind), (long)Math.Ceiling(task.SizeBytes), group);
            node.CtrlDeps.Add(deps);
            _etIds[(task, rank)] = node.Id;
            _nodes[rank].Add(node);
        }
    }

    private void EmitCompute(ComputeVertex task, Dependencies info, int stage)
    {
        for (var dp = 0; dp < _dataParallel; dp++)
        {
            var rank = RankFor(stage, dp);
            var deps = new List<ulong>();
            foreach (var dep in info.Local)
            {
                if (_etIds.TryGetValue((dep, RankFor(StageOf(dep)!.Value, dp)), out var id) && !deps.Contains(id)) deps.Add(id);
            }

            foreach (var dep in info.Collectives.Where(c => _collectiveStage.TryGetValue(c, out var s) && s == stage))
            {
                if (_etIds.TryGetValue((dep, rank), out var id) && !deps.Contains(id)) deps.Add(id);
            }

            // Python's round() (half to even), as the reference; AstraSim treats 0 µs as 1 ns.
            var micros = (ulong)Math.Max(0, Math.Round(task.DurationSeconds * 1e6, MidpointRounding.ToEven));
            var node = ChakraNodes.Compute((ulong)_nodes[rank].Count, $"{task.Name}_{task.OpId}", micros);
            node.CtrlDeps.Add(deps);
            _etIds[(task, rank)] = node.Id;
            _nodes[rank].Add(node);
        }
    }

    private static CollectiveCommType CollectiveType(CollectiveKind kind) => kind switch
    {
        CollectiveKind.AllReduce => CollectiveCommType.AllReduce,
        CollectiveKind.AllGather => CollectiveCommType.AllGather,
        CollectiveKind.ReduceScatter => CollectiveCommType.ReduceScatter,
        CollectiveKind.AllToAll => CollectiveCommType.AllToAll,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Point-to-point transfers are sends and receives, not collectives."),
    };

    private void WirePipelineDependencies(Dictionary<int, List<GraphVertex>> order)
    {
        foreach (var stage in _stageIds)
        {
            foreach (var task in order[stage])
            {
                var info = _info[task];
                if (info.Remote.Count == 0 && info.OutgoingTransfers.Count == 0) continue;
                for (var dp = 0; dp < _dataParallel; dp++)
                {
                    var rank = RankFor(stage, dp);
                    if (!_etIds.TryGetValue((task, rank), out var nodeId)) continue;
                    var node = _nodes[rank][(int)nodeId];
                    foreach (var parent in info.Remote)
                    {
                        if (!_info.ContainsKey(parent)) continue;
                        var receive = EnsureReceive(parent, task, stage, dp);
                        if (receive is { } id && !node.CtrlDeps.Contains(id)) node.CtrlDeps.Add(id);
                    }

                    foreach (var transfer in info.OutgoingTransfers)
                    {
                        var source = _graph.Parents(transfer).First(p => StageOf(p) == stage);
                        foreach (var remote in RemoteChildStages(transfer, stage))
                        {
                            var send = EnsureSend(source, transfer, remote, dp);
                            if (send is { } s && !node.CtrlDeps.Contains(s.Id)) node.CtrlDeps.Add(s.Id);
                        }
                    }
                }
            }
        }
    }

    private ulong? EnsureReceive(GraphVertex parent, GraphVertex target, int targetStage, int dp)
    {
        var parentStage = IsCollective(parent) ? _collectiveStage[parent] : StageOf(parent)!.Value;
        if (parentStage == targetStage)
        {
            return _etIds.TryGetValue((parent, RankFor(parentStage, dp)), out var local) ? local : null;
        }

        var edge = _pipelineEdges.GetValueOrDefault((parent, target));
        var key = (parent, targetStage, dp, edge);
        if (_receives.TryGetValue(key, out var cached)) return cached;
        var send = EnsureSend(parent, edge, targetStage, dp);
        if (send is null) return null;
        var (size, control) = TransferSize(edge);
        var receiver = RankFor(targetStage, dp);
        var name = control ? $"{edge?.Name ?? "pipeline"}_recv_control" : $"{edge!.Name}_recv_dp{dp}";
        // The receive takes the tag its send was given, so AstraSim always pairs them (the reference's newest
        // commit drew a second tag here for ordering-only pairs, which deadlocks flattened runs).
        var node = ChakraNodes.Receive((ulong)_nodes[receiver].Count, name, size, RankFor(parentStage, dp), send.Value.Tag);
        _nodes[receiver].Add(node);
        _receives[key] = node.Id;
        return node.Id;
    }

    private (ulong Id, int Tag)? EnsureSend(GraphVertex parent, GraphVertex? edge, int destinationStage, int dp)
    {
        var parentStage = IsCollective(parent) ? _collectiveStage[parent] : StageOf(parent)!.Value;
        var key = (parent, destinationStage, dp, edge);
        if (_sends.TryGetValue(key, out var cached)) return cached;
        var sender = RankFor(parentStage, dp);
        if (!_etIds.TryGetValue((parent, sender), out var parentId)) return null;
        var tag = edge?.OpId ?? _nextTag++;
        var (size, control) = TransferSize(edge);
        var name = control ? $"{edge?.Name ?? "pipeline"}_send_control" : $"{edge!.Name}_send_dp{dp}";
        var node = ChakraNodes.Send((ulong)_nodes[sender].Count, name, size, RankFor(destinationStage, dp), tag);
        node.CtrlDeps.Add(parentId);
        _nodes[sender].Add(node);
        _sends[key] = (node.Id, tag);
        return (node.Id, tag);
    }

    // A transfer carries its bytes; anything else (an ordering link, a collective, a direct edge) is a 1-byte
    // message, the smallest AstraSim accepts.
    private static (long Size, bool Control) TransferSize(GraphVertex? edge) =>
        edge is CommunicationVertex { Kind: CollectiveKind.PointToPoint, SizeBytes: > 0 } transfer
            ? ((long)Math.Ceiling(transfer.SizeBytes), false)
            : (1, true);

    // AstraSim issues ready communication in ascending id order; 1-byte ordering messages placed after large
    // collectives would starve behind them and deadlock, so they take the lowest ids.
    private static List<Node> ControlFirst(List<Node> nodes)
    {
        static bool IsControl(Node n) =>
            (n.Type == NodeType.CommSendNode && n.Name.EndsWith("_send_control", StringComparison.Ordinal))
            || (n.Type == NodeType.CommRecvNode && n.Name.EndsWith("_recv_control", StringComparison.Ordinal));

        var ordered = nodes.Where(IsControl).Concat(nodes.Where(n => !IsControl(n))).ToList();
        if (ordered.SequenceEqual(nodes)) return nodes;
        var remap = new Dictionary<ulong, ulong>();
        for (var i = 0; i < ordered.Count; i++) remap[ordered[i].Id] = (ulong)i;
        var result = new List<Node>(ordered.Count);
        foreach (var node in ordered)
        {
            var copy = node.Clone();
            copy.Id = remap[node.Id];
            copy.CtrlDeps.Clear();
            copy.CtrlDeps.Add(node.CtrlDeps.Select(d => remap.GetValueOrDefault(d, d)));
            result.Add(copy);
        }

        return result;
    }
}
