using RapidLlm.Graphs;

namespace RapidLlm.AstraSim.Traces;

internal sealed partial class ChakraGraphConverter
{
    /// <summary>What a task waits for, split the way the trace expresses it.</summary>
    private sealed class Dependencies
    {
        public required int Stage { get; init; }

        /// <summary>Same-stage producers reached without crossing a collective.</summary>
        public List<GraphVertex> Local { get; } = [];

        /// <summary>Producers on other stages (become receives).</summary>
        public List<GraphVertex> Remote { get; } = [];

        /// <summary>Collectives the task waits on.</summary>
        public List<GraphVertex> Collectives { get; } = [];

        /// <summary>Transfers this stage starts towards other stages before the task (become sends).</summary>
        public List<GraphVertex> OutgoingTransfers { get; } = [];

        public static void AddOnce(List<GraphVertex> list, GraphVertex vertex)
        {
            if (!list.Contains(vertex))
            {
                list.Add(vertex);
            }
        }
    }

    // Walks upwards from a task until it meets producers with a stage: same-stage ones are local dependencies,
    // others remote ones; collectives are recorded and walked through without making their producers local;
    // transfers stop the walk at their sources. Compute tasks treat collectives' local hardware ids as "no stage"
    // (they are collectives), collective tasks treat them as stages, exactly as the reference does.
    private Dependencies Analyze(GraphVertex task, bool collectiveWalk)
    {
        var stage = collectiveWalk ? _collectiveStage[task] : Hw(task)!.Value;
        var result = new Dependencies { Stage = stage };
        var visited = new HashSet<(GraphVertex, bool)>();
        var stack = new Stack<(GraphVertex Vertex, bool ViaCollective)>();
        foreach (var parent in _graph.Parents(task))
        {
            stack.Push((parent, false));
        }

        while (stack.Count > 0)
        {
            var (current, viaCollective) = stack.Pop();
            if (!visited.Add((current, viaCollective)))
            {
                continue;
            }

            var currentStage = collectiveWalk ? StageOf(current) : Hw(current);
            if (currentStage is { } s)
            {
                if (s == stage)
                {
                    if (!viaCollective) Dependencies.AddOnce(result.Local, current);
                }
                else
                {
                    Dependencies.AddOnce(result.Remote, current);
                    if (collectiveWalk)
                    {
                        _pipelineEdges[(current, task)] = current;
                    }
                    else
                    {
                        _pipelineEdges.TryAdd((current, task), null);
                    }
                }

                continue;
            }

            if (IsTransfer(current))
            {
                WalkTransferSources(current, stage, viaCollective, task, result);
                continue;
            }

            if (IsCollective(current))
            {
                Dependencies.AddOnce(result.Collectives, current);
                foreach (var parent in _graph.Parents(current))
                {
                    stack.Push((parent, true));
                }

                continue;
            }

            foreach (var parent in _graph.Parents(current))
            {
                stack.Push((parent, viaCollective));
            }
        }

        result.Local.Remove(task);
        return result;
    }

    private void WalkTransferSources(GraphVertex transfer, int stage, bool viaCollective, GraphVertex task, Dependencies result)
    {
        foreach (var source in _graph.Parents(transfer))
        {
            if (Hw(source) is { } sourceStage)
            {
                if (sourceStage == stage)
                {
                    if (viaCollective) continue;
                    if (RemoteChildStages(transfer, stage).Count > 0) Dependencies.AddOnce(result.OutgoingTransfers, transfer);
                    Dependencies.AddOnce(result.Local, source);
                }
                else
                {
                    Dependencies.AddOnce(result.Remote, source);
                    _pipelineEdges[(source, task)] = transfer;
                }
            }
        }

        foreach (var source in _graph.Parents(transfer))
        {
            // Same-stage collectives feeding a transfer order it locally; a remote one is not a dependency here.
            if (LocalHw(source) is { } collectiveStage && collectiveStage == stage && !viaCollective)
            {
                if (RemoteChildStages(transfer, stage).Count > 0) Dependencies.AddOnce(result.OutgoingTransfers, transfer);
                Dependencies.AddOnce(result.Collectives, source);
            }
        }
    }

    private List<int> RemoteChildStages(GraphVertex transfer, int localStage)
    {
        var stages = new List<int>();
        foreach (var child in _graph.Children(transfer))
        {
            if (StageOf(child) is { } s && s != localStage && !stages.Contains(s))
            {
                stages.Add(s);
            }
        }

        return stages;
    }
}
