using RapidLlm.Network;

namespace RapidLlm.Graphs;

/// <summary>
/// Sets the duration of every communication vertex that moves bytes, as the reference's
/// <c>convert_comm_sizes_to_times</c> does: only vertices reachable from the root are timed, and the
/// root itself is left alone (a ZeRO-3 entry gather at the root therefore stays at 0 s, as in the
/// reference).
/// </summary>
internal static class CommunicationTimingPass
{
    /// <summary>Times the graph in place from its root.</summary>
    /// <param name="graph">A built graph with a root.</param>
    /// <param name="timer">Collective model.</param>
    public static void Apply(ExecutionGraph graph, ICommunicationTimer timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        Apply(graph, timer.CollectiveSeconds);
    }

    /// <summary>Times the graph in place from its root.</summary>
    /// <param name="graph">A built graph with a root.</param>
    /// <param name="collectiveSeconds">(kind, size bytes, participants, axis) → seconds.</param>
    public static void Apply(ExecutionGraph graph, Func<CollectiveKind, double, int, ParallelismAxis, double> collectiveSeconds)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(collectiveSeconds);
        var root = graph.Root ?? throw new InvalidOperationException("The graph has no root.");
        var visited = new bool[graph.Vertices.Count];
        var stack = new Stack<GraphVertex>();
        stack.Push(root);
        visited[root.Index] = true;
        while (stack.Count > 0)
        {
            var vertex = stack.Pop();
            var childCount = graph.ChildCount(vertex);
            for (var i = 0; i < childCount; i++)
            {
                var child = graph.ChildAt(vertex, i);
                if (visited[child.Index])
                {
                    continue;
                }

                visited[child.Index] = true;
                if (child is CommunicationVertex { SizeBytes: > 0 } comm)
                {
                    var axis = comm.Axis ?? throw new InvalidOperationException($"Communication '{comm.Name}' moves bytes but has no interconnect axis.");
                    comm.SetDuration(collectiveSeconds(comm.Kind, comm.SizeBytes, comm.Participants, axis));
                }

                stack.Push(child);
            }
        }
    }
}
