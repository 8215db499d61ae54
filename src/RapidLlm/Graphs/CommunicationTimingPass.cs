using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Graphs;

/// <summary>
/// Prices every communication vertex that moves bytes, as the reference's <c>convert_comm_sizes_to_times</c> does:
/// only vertices reachable from the root are priced, and the root itself is left alone (a ZeRO-3 entry gather at the
/// root therefore stays at 0 s, as in the reference). The graph is not changed: the times come back as a
/// <see cref="VertexDurations"/> map.
/// </summary>
internal static class CommunicationTimingPass
{
    /// <summary>Times the graph from its root.</summary>
    /// <param name="graph">A built graph with a root.</param>
    /// <param name="timer">Collective model.</param>
    /// <returns>Every vertex's duration: built-in ones, with the reachable transfers priced by <paramref name="timer"/>.</returns>
    public static VertexDurations Time(ExecutionGraph graph, ICommunicationTimer timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return Time(graph, timer.CollectiveSeconds);
    }

    /// <summary>Times the graph from its root.</summary>
    /// <param name="graph">A built graph with a root.</param>
    /// <param name="collectiveSeconds">(kind, size bytes, participants, axis) → seconds.</param>
    /// <returns>Every vertex's duration: built-in ones, with the reachable transfers priced by <paramref name="collectiveSeconds"/>.</returns>
    public static VertexDurations Time(ExecutionGraph graph, Func<CollectiveKind, double, int, ParallelismAxis, double> collectiveSeconds)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(collectiveSeconds);
        var root = graph.Root ?? throw new InvalidOperationException("The graph has no root.");
        return VertexDurations.WithPriced(graph, seconds => PriceReachable(graph, root, collectiveSeconds, seconds));
    }

    private static void PriceReachable(
        ExecutionGraph graph, GraphVertex root, Func<CollectiveKind, double, int, ParallelismAxis, double> collectiveSeconds, double[] seconds)
    {
        var visited = new bool[graph.Vertices.Count];
        var stack = new Stack<GraphVertex>();
        stack.Push(root);
        visited[root.Index] = true;
        while (stack.Count > 0)
        {
            var vertex = stack.Pop();
            foreach (var child in graph.Children(vertex))
            {
                if (visited[child.Index])
                {
                    continue;
                }

                visited[child.Index] = true;
                if (child is CommunicationVertex { SizeBytes: > 0 } comm)
                {
                    var axis = comm.Axis ?? throw new InvalidOperationException($"Communication '{comm.Name}' moves bytes but has no interconnect axis.");
                    seconds[comm.Index] = collectiveSeconds(comm.Kind, comm.SizeBytes, comm.Participants, axis);
                }

                stack.Push(child);
            }
        }
    }
}
