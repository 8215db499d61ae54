using RapidLlm.Graphs;

namespace RapidLlm.Execution;

/// <summary>Outcome of one event simulation.</summary>
internal sealed class SimulationResult
{
    private readonly double[] _finishTimesSeconds;
    private readonly double[] _deviceBusySeconds;

    /// <summary>Creates a result; a backend of one's own returns one from <see cref="IExecutionBackend.Execute"/>.</summary>
    /// <param name="makespanSeconds">Time of the last finished event (the step time the estimate uses).</param>
    /// <param name="finishTimesSeconds">Finish time per vertex, by <see cref="GraphVertex.Index"/> (NaN for vertices that never ran); copied.</param>
    /// <param name="deviceBusySeconds">Summed compute time per device (index = hardware id); copied.</param>
    /// <param name="completedVertexCount">Vertices that finished.</param>
    /// <param name="durations">The duration of every vertex the schedule used.</param>
    public SimulationResult(double makespanSeconds, IReadOnlyList<double> finishTimesSeconds, IReadOnlyList<double> deviceBusySeconds, int completedVertexCount, VertexDurations durations)
        : this(makespanSeconds, [.. finishTimesSeconds ?? throw new ArgumentNullException(nameof(finishTimesSeconds))],
            [.. deviceBusySeconds ?? throw new ArgumentNullException(nameof(deviceBusySeconds))], completedVertexCount,
            durations ?? throw new ArgumentNullException(nameof(durations)))
    {
    }

    internal SimulationResult(double makespanSeconds, double[] finishTimesSeconds, double[] deviceBusySeconds, int completedVertexCount, VertexDurations durations)
    {
        Durations = durations;
        MakespanSeconds = makespanSeconds;
        _finishTimesSeconds = finishTimesSeconds;
        _deviceBusySeconds = deviceBusySeconds;
        CompletedVertexCount = completedVertexCount;
    }

    /// <summary>Time of the last finished event (the iteration time).</summary>
    public double MakespanSeconds { get; }

    /// <summary>Finish time per vertex, indexed by <see cref="GraphVertex.Index"/>; NaN for vertices that never ran.</summary>
    public IReadOnlyList<double> FinishTimesSeconds => _finishTimesSeconds;

    /// <summary>Summed compute time per device (index = hardware id).</summary>
    public IReadOnlyList<double> DeviceBusySeconds => _deviceBusySeconds;

    /// <summary>The duration of every vertex the schedule used (the graph itself is never changed by timing).</summary>
    public VertexDurations Durations { get; }

    /// <summary>
    /// The same schedule with another makespan: for backends whose step time comes from an outside simulator while
    /// the per-vertex finish times and busy times come from our event simulation.
    /// </summary>
    /// <param name="makespanSeconds">The step time.</param>
    /// <returns>The result with <see cref="MakespanSeconds"/> replaced.</returns>
    public SimulationResult WithMakespan(double makespanSeconds) =>
        new(makespanSeconds, _finishTimesSeconds, _deviceBusySeconds, CompletedVertexCount, Durations);

    /// <summary>Vertices that finished.</summary>
    public int CompletedVertexCount { get; }

    /// <summary>Finish time of one vertex; NaN when it never ran.</summary>
    /// <param name="vertex">A vertex of the simulated graph.</param>
    /// <returns>Seconds.</returns>
    public double FinishTimeSeconds(GraphVertex vertex)
    {
        ArgumentNullException.ThrowIfNull(vertex);
        return _finishTimesSeconds[vertex.Index];
    }
}
