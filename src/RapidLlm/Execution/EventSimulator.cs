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
        var schedule = new ListSchedule(g, observer);
        schedule.StartRoot(root);
        while (schedule.Step())
        {
        }

        return schedule.Result(durations);
    }

    /// <summary>
    /// The mutable state of one run. The reference keeps one ready list and, after every event, scans it in order: a
    /// vertex without a device starts at once, one whose device is free takes it, the rest wait. A free device never
    /// has a waiting vertex after a scan, so only the device just released and the devices of newly ready vertices
    /// can start anything; keeping a first-in-first-out queue per device and starting the candidates in ready order
    /// reproduces the scan without walking every waiting vertex on every event (which grew with the square of the
    /// micro-batches).
    /// </summary>
    private sealed class ListSchedule
    {
        private readonly CompiledGraph _g;
        private readonly ObserverAdapter? _observer;
        private readonly byte[] _state;
        private readonly double[] _finish;
        private readonly int[] _pending;
        private readonly bool[] _deviceFree;
        private readonly double[] _busy;
        private readonly Queue<int>?[] _waiting;
        private readonly long[] _readyOrder;
        private readonly List<int> _touched = [];
        private readonly List<int> _candidates = [];
        private readonly PriorityQueue<int, EventKey> _events = new();
        private long _nextReady;
        private long _counter;
        private double _time;
        private int _completed;

        public ListSchedule(CompiledGraph g, ObserverAdapter? observer)
        {
            _g = g;
            _observer = observer;
            var n = g.Count;
            _state = new byte[n];
            _finish = new double[n];
            Array.Fill(_finish, double.NaN);
            _pending = new int[n];
            Array.Copy(g.ParentCount, _pending, n);

            _deviceFree = new bool[g.DeviceCount];
            Array.Fill(_deviceFree, true);
            _busy = new double[g.DeviceCount];
            _waiting = new Queue<int>?[g.DeviceCount];
            _readyOrder = new long[n];
        }

        /// <summary>The root is pushed at its own duration without claiming its device (as in the reference).</summary>
        public void StartRoot(int root)
        {
            _events.Enqueue(root, new EventKey(_g.Duration[root], _counter++));
            _state[root] = Scheduled;
            if (_g.Device[root] >= 0)
            {
                // Its work still counts as busy time.
                _busy[_g.Device[root]] += _g.Duration[root];
            }
        }

        /// <summary>Pops the next finished vertex and starts what it releases; false when no event is left.</summary>
        public bool Step()
        {
            if (!_events.TryDequeue(out var vertex, out var key))
            {
                return false;
            }

            _time = key.Time;
            _state[vertex] = Done;
            _finish[vertex] = _time;
            _completed++;
            _touched.Clear();
            _candidates.Clear();
            ReleaseChildren(vertex);
            if (_g.Device[vertex] >= 0)
            {
                _deviceFree[_g.Device[vertex]] = true;
                _touched.Add(_g.Device[vertex]);
            }

            // Observers hear of a finish after its children joined the ready list, as the reference's memory model does.
            _observer?.Finished(vertex, _time);
            AddDeviceCandidates();
            StartCandidates();
            return true;
        }

        public SimulationResult Result(VertexDurations durations) => new(_time, _finish, _busy, _completed, durations);

        /// <summary>
        /// A child is ready once its last parent is done. Counting parents down (all of this vertex's edges first, then
        /// the children in order) gives the same ready order as scanning each child's parents, without the cost that
        /// grows with the square of the ranks when every rank of one layer feeds every rank of the next.
        /// </summary>
        private void ReleaseChildren(int vertex)
        {
            var from = _g.ChildStart[vertex];
            var to = _g.ChildStart[vertex + 1];
            for (var c = from; c < to; c++)
            {
                _pending[_g.Children[c]]--;
            }

            for (var c = from; c < to; c++)
            {
                var child = _g.Children[c];
                if (_state[child] != Idle || _pending[child] != 0)
                {
                    continue;
                }

                _state[child] = Ready;
                _readyOrder[child] = _nextReady++;
                var device = _g.Device[child];
                if (device < 0)
                {
                    _candidates.Add(child);
                }
                else
                {
                    (_waiting[device] ??= new Queue<int>()).Enqueue(child);
                    _touched.Add(device);
                }
            }
        }

        /// <summary>The first waiting vertex of every touched device that is free.</summary>
        private void AddDeviceCandidates()
        {
            foreach (var device in _touched)
            {
                if (_deviceFree[device] && _waiting[device] is { Count: > 0 } queue && !_candidates.Contains(queue.Peek()))
                {
                    _candidates.Add(queue.Peek());
                }
            }

            // In ready order (insertion sort: there are a handful).
            for (var i = 1; i < _candidates.Count; i++)
            {
                var item = _candidates[i];
                var order = _readyOrder[item];
                var j = i - 1;
                while (j >= 0 && _readyOrder[_candidates[j]] > order)
                {
                    _candidates[j + 1] = _candidates[j];
                    j--;
                }

                _candidates[j + 1] = item;
            }
        }

        private void StartCandidates()
        {
            foreach (var candidate in _candidates)
            {
                var device = _g.Device[candidate];
                if (device >= 0)
                {
                    _observer?.Started(candidate, _time);
                    _deviceFree[device] = false;
                    _busy[device] += _g.Duration[candidate];
                    _waiting[device]!.Dequeue();
                }

                _events.Enqueue(candidate, new EventKey(_time + _g.Duration[candidate], _counter++));
                _state[candidate] = Scheduled;
            }
        }
    }

    /// <summary>Events pop by finish time, equal times in push order.</summary>
    private readonly record struct EventKey(double Time, long Counter) : IComparable<EventKey>
    {
        public int CompareTo(EventKey other)
        {
            var byTime = Time.CompareTo(other.Time);
            return byTime != 0 ? byTime : Counter.CompareTo(other.Counter);
        }
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
        public required int[] ParentCount { get; init; }

        public static CompiledGraph From(ExecutionGraph graph, VertexDurations durations)
        {
            var vertices = graph.Vertices;
            var n = vertices.Count;
            var duration = new double[n];
            var device = new int[n];
            var parentCount = new int[n];
            var maxHw = graph.MinimumDeviceCount - 1;
            for (var i = 0; i < n; i++)
            {
                var v = vertices[i];
                duration[i] = durations[v];
                device[i] = DeviceOf(v);
                maxHw = Math.Max(maxHw, device[i]);
                parentCount[i] = graph.ParentCount(i);
            }

            var (childStart, children) = graph.FlatChildren;
            return new CompiledGraph
            {
                Count = n,
                DeviceCount = maxHw + 1,
                Duration = duration,
                Device = device,
                ChildStart = childStart,
                Children = children,
                ParentCount = parentCount,
            };
        }

        /// <summary>Hardware id of a compute vertex; -1 for communications and roots.</summary>
        private static int DeviceOf(GraphVertex v)
        {
            if (v is not ComputeVertex compute)
            {
                return -1;
            }

            return compute.HardwareId >= 0
                ? compute.HardwareId
                : throw new InvalidOperationException($"Compute vertex '{v.Name}' has a negative hardware id.");
        }
    }
}
