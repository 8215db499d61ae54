using RapidLlm.Configuration;
using RapidLlm.Graphs;

namespace RapidLlm.Execution;

/// <summary>
/// A read-only view of one step's pipeline graph, handed to an <see cref="IStepBackend"/>: its vertices (work,
/// transfers and the start vertex) with their dependencies and the analytical model's durations.
/// </summary>
public sealed class StepGraph
{
    private readonly ExecutionGraph _graph;
    private readonly VertexDurations _durations;

    internal StepGraph(ExecutionGraph graph, VertexDurations durations, RunType runType)
    {
        durations.EnsureCovers(graph);
        _graph = graph;
        _durations = durations;
        RunType = runType;
        var source = graph.Vertices;
        var vertices = new StepVertex[source.Count];
        var devices = graph.MinimumDeviceCount;
        for (var i = 0; i < vertices.Length; i++)
        {
            var vertex = source[i];
            var parents = new int[graph.ParentCount(vertex)];
            for (var p = 0; p < parents.Length; p++) parents[p] = graph.ParentAt(vertex, p).Index;
            var children = new int[graph.ChildCount(vertex)];
            for (var c = 0; c < children.Length; c++) children[c] = graph.ChildAt(vertex, c).Index;
            vertices[i] = new StepVertex(i, vertex, durations[vertex], Array.AsReadOnly(parents), Array.AsReadOnly(children));
            if (vertices[i].Device is { } device) devices = Math.Max(devices, device + 1);
        }

        Vertices = Array.AsReadOnly(vertices);
        StartVertexId = (graph.Root ?? throw new InvalidOperationException("The graph has no start vertex.")).Index;
        DeviceCount = devices;
    }

    /// <summary>Every vertex, by <see cref="StepVertex.Id"/>.</summary>
    public IReadOnlyList<StepVertex> Vertices { get; }

    /// <summary>The id of the start vertex: the step begins when it does (at 0 s); vertices it does not reach never run.</summary>
    public int StartVertexId { get; }

    /// <summary>The devices the graph's work runs on (ids 0 to <c>DeviceCount - 1</c>; one per pipeline stage).</summary>
    public int DeviceCount { get; }

    /// <summary>Training (a step with backward passes and the optimizer) or inference (forward only).</summary>
    public RunType RunType { get; }

    /// <summary>
    /// The library's own schedule of the graph with the analytical durations: what the analytical backend returns.
    /// </summary>
    /// <returns>The schedule.</returns>
    public StepSchedule Simulate() => Schedule(EventSimulator.Simulate(_graph, _durations));

    /// <summary>
    /// The library's own list scheduler run with durations you choose: a vertex starts once its dependencies are done
    /// and, for work, once its device is free (one piece of work per device at a time); transfers hold no device.
    /// </summary>
    /// <param name="durationSeconds">The duration of each vertex in seconds (e.g. <c>v =&gt; v.IsCompute ? 2 * v.DurationSeconds : v.DurationSeconds</c>); finite and ≥ 0.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentException">A duration is negative or not finite.</exception>
    public StepSchedule Simulate(Func<StepVertex, double> durationSeconds)
    {
        ArgumentNullException.ThrowIfNull(durationSeconds);
        var priced = new (GraphVertex, double)[Vertices.Count];
        for (var i = 0; i < priced.Length; i++)
        {
            var seconds = durationSeconds(Vertices[i]);
            if (!double.IsFinite(seconds) || seconds < 0)
                throw new ArgumentException($"Vertex {Vertices[i]} was given {seconds} s; durations are finite and ≥ 0.", nameof(durationSeconds));
            priced[i] = (_graph.Vertices[i], seconds);
        }

        return Schedule(EventSimulator.Simulate(_graph, VertexDurations.WithPriced(_graph, priced)));
    }

    private StepSchedule Schedule(SimulationResult result)
    {
        var finish = result.FinishTimesSeconds.ToArray();
        var start = new double[finish.Length];
        for (var i = 0; i < start.Length; i++) start[i] = finish[i] - result.Durations.Seconds[i];
        return new StepSchedule(result.MakespanSeconds, start, finish, result, this);
    }

    /// <summary>The library's result for a schedule a backend returned for this graph.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="backend">The backend's name, for messages.</param>
    /// <returns>The result.</returns>
    internal SimulationResult ToResult(StepSchedule schedule, string backend)
    {
        if (ReferenceEquals(schedule.Source, this) && schedule.Result is { } own) return own;
        var count = Vertices.Count;
        if (schedule.FinishSeconds.Count != count)
            throw new BackendRunException($"The backend '{backend}' returned times for {schedule.FinishSeconds.Count} vertices, but the step's graph has {count}; give one start and finish per vertex (NaN for one that never ran).");
        var durations = new (GraphVertex, double)[count];
        var busy = new double[DeviceCount];
        var completed = 0;
        for (var i = 0; i < count; i++)
        {
            var ran = !double.IsNaN(schedule.FinishSeconds[i]);
            var seconds = ran ? schedule.FinishSeconds[i] - schedule.StartSeconds[i] : Vertices[i].DurationSeconds;
            if (!double.IsFinite(seconds))
                throw new BackendRunException($"The backend '{backend}' gave vertex {Vertices[i]} the times {schedule.StartSeconds[i]}–{schedule.FinishSeconds[i]} s; times are finite.");
            durations[i] = (_graph.Vertices[i], seconds);
            if (!ran) continue;
            completed++;
            if (Vertices[i].Device is { } device) busy[device] += seconds;
        }

        return new SimulationResult(schedule.StepSeconds, schedule.FinishSeconds.ToArray(), busy, completed, VertexDurations.WithPriced(_graph, durations));
    }
}
