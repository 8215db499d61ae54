using RapidLlm.Graphs;

namespace RapidLlm.Execution;

/// <summary>
/// The reference's discrete-event list scheduler (<c>Graph.simulate</c>), reproduced event for event:
/// <list type="bullet">
/// <item>events sit in a min-heap keyed by (finish time, insertion counter), so equal times pop in push order;</item>
/// <item>after each pop, children whose parents are all done join a FIFO ready list in child order;</item>
/// <item>the ready list is then scanned in order: communications and roots always start, a compute
/// vertex starts only when its device is free (one compute vertex per device at a time);</item>
/// <item>the root is pushed at its own duration without taking a device;</item>
/// <item>the makespan is the time of the last popped event.</item>
/// </list>
/// Iterative throughout, so graphs of any depth are fine. Stateless and thread-safe.
/// </summary>
internal static class EventSimulator
{
    private const byte Idle = 0;
    private const byte Ready = 1;
    private const byte Scheduled = 2;
    private const byte Done = 3;

    /// <summary>Simulates the graph from its <see cref="ExecutionGraph.Root"/> with the durations its vertices were built with.</summary>
    /// <param name="graph">A graph whose vertices carry their times (a flattened graph, or one without transfers to price).</param>
    /// <returns>Makespan, finish times and device busy times.</returns>
    public static SimulationResult Simulate(ExecutionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Simulate(graph, VertexDurations.Intrinsic(graph));
    }

    /// <summary>Simulates the graph from its <see cref="ExecutionGraph.Root"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="durations">Every vertex's duration (see <see cref="CommunicationTimingPass"/>).</param>
    /// <returns>Makespan, finish times and device busy times.</returns>
    public static SimulationResult Simulate(ExecutionGraph graph, VertexDurations durations)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Simulate(graph, graph.Root ?? throw new InvalidOperationException("The graph has no root."), durations, observer: null);
    }

    /// <summary>Simulates the graph from <paramref name="root"/> with built-in durations; vertices not reachable from it never run.</summary>
    /// <param name="graph">A graph whose vertices carry their times.</param>
    /// <param name="root">Start vertex.</param>
    /// <returns>Makespan, finish times and device busy times.</returns>
    public static SimulationResult Simulate(ExecutionGraph graph, GraphVertex root) => Simulate(graph, root, observer: null);

    /// <summary>Simulates the graph from <paramref name="root"/> with built-in durations, telling <paramref name="observer"/> about starts and finishes.</summary>
    /// <param name="graph">A graph whose vertices carry their times.</param>
    /// <param name="root">Start vertex.</param>
    /// <param name="observer">Told when a compute vertex takes its device and when any vertex finishes; null for none.</param>
    /// <returns>Makespan, finish times and device busy times.</returns>
    public static SimulationResult Simulate(ExecutionGraph graph, GraphVertex root, ISimulationObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Simulate(graph, root, VertexDurations.Intrinsic(graph), observer);
    }

    /// <summary>Simulates the graph from <paramref name="root"/>, telling <paramref name="observer"/> about starts and finishes.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="root">Start vertex; vertices not reachable from it never run.</param>
    /// <param name="durations">Every vertex's duration.</param>
    /// <param name="observer">Told when a compute vertex takes its device and when any vertex finishes; null for none.</param>
    /// <returns>Makespan, finish times and device busy times.</returns>
    public static SimulationResult Simulate(ExecutionGraph graph, GraphVertex root, VertexDurations durations, ISimulationObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(durations);
        durations.EnsureCovers(graph);
        var compiled = CompiledGraph.From(graph, durations);
        return Run(compiled, root.Index, observer is null ? null : new ObserverAdapter(graph, observer), durations);
    }

    private static SimulationResult Run(CompiledGraph g, int root, ObserverAdapter? observer, VertexDurations durations)
    {
        var n = g.Count;
        var state = new byte[n];
        var finish = new double[n];
        var pending = new int[n];
        for (var i = 0; i < n; i++)
        {
            pending[i] = g.ParentStart[i + 1] - g.ParentStart[i];
        }

        Array.Fill(finish, double.NaN);
        var deviceFree = new bool[g.DeviceCount];
        Array.Fill(deviceFree, true);
        var busy = new double[g.DeviceCount];

        // The reference keeps one ready list and, after every event, scans it in order: a vertex without a device starts
        // at once, one whose device is free takes it, the rest wait. A free device never has a waiting vertex after a
        // scan, so only the device just released and the devices of newly ready vertices can start anything; keeping a
        // first-in-first-out queue per device and starting the candidates in ready order reproduces the scan without
        // walking every waiting vertex on every event (which grew with the square of the micro-batches).
        var waiting = new Queue<int>?[g.DeviceCount];
        var readyOrder = new long[n];
        long nextReady = 0;
        var touched = new List<int>();
        var candidates = new List<int>();
        var events = new PriorityQueue<int, (double Time, long Counter)>();
        long counter = 0;

        events.Enqueue(root, (g.Duration[root], counter++));
        state[root] = Scheduled;
        if (g.Device[root] >= 0)
        {
            // The root does not claim its device (as in the reference), but its work still counts as busy time.
            busy[g.Device[root]] += g.Duration[root];
        }

        double time = 0;
        var completed = 0;
        while (events.TryDequeue(out var vertex, out var key))
        {
            time = key.Time;
            state[vertex] = Done;
            finish[vertex] = time;
            completed++;
            touched.Clear();
            candidates.Clear();

            // A child is ready once its last parent is done. Counting parents down (all of this vertex's edges first, then
            // the children in order) gives the same ready order as scanning each child's parents, without the cost that
            // grows with the square of the ranks when every rank of one layer feeds every rank of the next.
            for (var c = g.ChildStart[vertex]; c < g.ChildStart[vertex + 1]; c++)
            {
                pending[g.Children[c]]--;
            }

            for (var c = g.ChildStart[vertex]; c < g.ChildStart[vertex + 1]; c++)
            {
                var child = g.Children[c];
                if (state[child] != Idle || pending[child] != 0)
                {
                    continue;
                }

                state[child] = Ready;
                readyOrder[child] = nextReady++;
                var device = g.Device[child];
                if (device < 0)
                {
                    candidates.Add(child);
                }
                else
                {
                    (waiting[device] ??= new Queue<int>()).Enqueue(child);
                    touched.Add(device);
                }
            }

            if (g.Device[vertex] >= 0)
            {
                deviceFree[g.Device[vertex]] = true;
                touched.Add(g.Device[vertex]);
            }

            // Observers hear of a finish after its children joined the ready list, as the reference's memory model does.
            observer?.Finished(vertex, time);

            foreach (var device in touched)
            {
                if (deviceFree[device] && waiting[device] is { Count: > 0 } queue && !candidates.Contains(queue.Peek()))
                {
                    candidates.Add(queue.Peek());
                }
            }

            if (candidates.Count > 1)
            {
                candidates.Sort((a, b) => readyOrder[a].CompareTo(readyOrder[b]));
            }

            foreach (var candidate in candidates)
            {
                var device = g.Device[candidate];
                if (device >= 0)
                {
                    observer?.Started(candidate, time);
                    deviceFree[device] = false;
                    busy[device] += g.Duration[candidate];
                    waiting[device]!.Dequeue();
                }

                events.Enqueue(candidate, (time + g.Duration[candidate], counter++));
                state[candidate] = Scheduled;
            }
        }

        return new SimulationResult(time, finish, busy, completed, durations);
    }

    private sealed class ObserverAdapter(ExecutionGraph graph, ISimulationObserver observer)
    {
        private readonly IReadOnlyList<GraphVertex> _vertices = graph.Vertices;

        public void Started(int vertex, double time) => observer.OnStarted((ComputeVertex)_vertices[vertex], time);

        public void Finished(int vertex, double time) => observer.OnFinished(_vertices[vertex], time);
    }

    /// <summary>Flat arrays of the graph so the event loop does no dictionary look-ups.</summary>
    private sealed class CompiledGraph
    {
        public required int Count { get; init; }
        public required int DeviceCount { get; init; }
        public required double[] Duration { get; init; }

        /// <summary>Hardware id for compute vertices, -1 for communications and roots (they never wait for a device).</summary>
        public required int[] Device { get; init; }
        public required int[] ChildStart { get; init; }
        public required int[] Children { get; init; }
        public required int[] ParentStart { get; init; }
        public required int[] Parents { get; init; }

        public static CompiledGraph From(ExecutionGraph graph, VertexDurations durations)
        {
            var vertices = graph.Vertices;
            var n = vertices.Count;
            var duration = new double[n];
            var device = new int[n];
            var childStart = new int[n + 1];
            var parentStart = new int[n + 1];
            var maxHw = graph.MinimumDeviceCount - 1;
            for (var i = 0; i < n; i++)
            {
                var v = vertices[i];
                duration[i] = durations[v];
                if (v is ComputeVertex compute)
                {
                    if (compute.HardwareId < 0)
                    {
                        throw new InvalidOperationException($"Compute vertex '{v.Name}' has a negative hardware id.");
                    }

                    device[i] = compute.HardwareId;
                    maxHw = Math.Max(maxHw, compute.HardwareId);
                }
                else
                {
                    device[i] = -1;
                }

                childStart[i + 1] = childStart[i] + graph.ChildCount(v);
                parentStart[i + 1] = parentStart[i] + graph.ParentCount(v);
            }

            var children = new int[childStart[n]];
            var parents = new int[parentStart[n]];
            for (var i = 0; i < n; i++)
            {
                var v = vertices[i];
                var at = childStart[i];
                foreach (var edge in graph.Structure.OutEdges(v))
                {
                    children[at++] = edge.Target.Index;
                }

                at = parentStart[i];
                foreach (var edge in graph.Structure.InEdges(v))
                {
                    parents[at++] = edge.Source.Index;
                }
            }

            return new CompiledGraph
            {
                Count = n,
                DeviceCount = maxHw + 1,
                Duration = duration,
                Device = device,
                ChildStart = childStart,
                Children = children,
                ParentStart = parentStart,
                Parents = parents,
            };
        }
    }
}
