namespace RapidLlm.Execution;

/// <summary>
/// What an <see cref="IStepBackend"/> returns for one <see cref="StepGraph"/>: the step time and when each vertex
/// started and finished (by <see cref="StepVertex.Id"/>; NaN for a vertex that never ran). Immutable.
/// </summary>
public sealed class StepSchedule
{
    private readonly double[] _startSeconds;
    private readonly double[] _finishSeconds;

    /// <summary>Creates a schedule; the lists are copied.</summary>
    /// <param name="stepSeconds">The step time the estimate uses (usually the last finish).</param>
    /// <param name="startSeconds">Start time per vertex, by id; NaN for a vertex that never ran.</param>
    /// <param name="finishSeconds">Finish time per vertex, by id; NaN for a vertex that never ran.</param>
    /// <exception cref="ArgumentException">The lists differ in length, the step time is negative or not finite, or a vertex finishes before it starts.</exception>
    public StepSchedule(double stepSeconds, IReadOnlyList<double> startSeconds, IReadOnlyList<double> finishSeconds)
        : this(stepSeconds, [.. startSeconds ?? throw new ArgumentNullException(nameof(startSeconds))],
            [.. finishSeconds ?? throw new ArgumentNullException(nameof(finishSeconds))], result: null)
    {
        if (!double.IsFinite(stepSeconds) || stepSeconds < 0)
            throw new ArgumentException($"The step time must be a finite number of seconds ≥ 0, not {stepSeconds}.", nameof(stepSeconds));
        if (_startSeconds.Length != _finishSeconds.Length)
            throw new ArgumentException($"{_startSeconds.Length} start times but {_finishSeconds.Length} finish times; give one of each per vertex.", nameof(finishSeconds));
        for (var i = 0; i < _startSeconds.Length; i++)
        {
            if (double.IsNaN(_startSeconds[i]) != double.IsNaN(_finishSeconds[i]) || _finishSeconds[i] < _startSeconds[i])
                throw new ArgumentException($"Vertex {i} starts at {_startSeconds[i]} s and finishes at {_finishSeconds[i]} s; a vertex that ran finishes at or after its start, one that never ran has NaN for both.", nameof(finishSeconds));
        }
    }

    internal StepSchedule(double stepSeconds, double[] startSeconds, double[] finishSeconds, SimulationResult? result, StepGraph? source = null)
    {
        Source = source;
        StepSeconds = stepSeconds;
        _startSeconds = startSeconds;
        _finishSeconds = finishSeconds;
        Result = result;
    }

    /// <summary>The step time in seconds.</summary>
    public double StepSeconds { get; }

    /// <summary>Start time of each vertex in seconds, by id; NaN for a vertex that never ran.</summary>
    public IReadOnlyList<double> StartSeconds => _startSeconds;

    /// <summary>Finish time of each vertex in seconds, by id; NaN for a vertex that never ran.</summary>
    public IReadOnlyList<double> FinishSeconds => _finishSeconds;

    /// <summary>The same schedule with another step time (e.g. an outside simulator's, over the library's per-vertex times).</summary>
    /// <param name="stepSeconds">The step time.</param>
    /// <returns>The schedule.</returns>
    public StepSchedule WithStepSeconds(double stepSeconds)
    {
        if (!double.IsFinite(stepSeconds) || stepSeconds < 0)
            throw new ArgumentException($"The step time must be a finite number of seconds ≥ 0, not {stepSeconds}.", nameof(stepSeconds));
        return new StepSchedule(stepSeconds, _startSeconds, _finishSeconds, Result?.WithMakespan(stepSeconds), Source);
    }

    /// <summary>The library's own result this schedule came from (<see cref="StepGraph.Simulate()"/>), kept so it converts back exactly.</summary>
    internal SimulationResult? Result { get; }

    /// <summary>The graph whose simulation <see cref="Result"/> is.</summary>
    internal StepGraph? Source { get; }
}
