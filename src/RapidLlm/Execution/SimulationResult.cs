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
    public SimulationResult(double makespanSeconds, IReadOnlyList<double> finishTimesSeconds, IReadOnlyList<double> deviceBusySeconds, int completedVertexCount)
        : this(makespanSeconds, [.. finishTimesSeconds ?? throw new ArgumentNullException(nameof(finishTimesSeconds))],
            [.. deviceBusySeconds ?? throw new ArgumentNullException(nameof(deviceBusySeconds))], completedVertexCount)
    {
    }

    internal SimulationResult(double makespanSeconds, double[] finishTimesSeconds, double[] deviceBusySeconds, int completedVertexCount)
    {
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
