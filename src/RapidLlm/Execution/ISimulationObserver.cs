using RapidLlm.Graphs;

namespace RapidLlm.Execution;

/// <summary>
/// Watches a simulation as it runs, for models that follow the schedule (the memory estimator allocates and frees
/// activations as operations start and finish).
/// </summary>
internal interface ISimulationObserver
{
    /// <summary>A compute vertex took its device and starts now.</summary>
    /// <param name="vertex">The vertex.</param>
    /// <param name="timeSeconds">Simulated time.</param>
    void OnStarted(ComputeVertex vertex, double timeSeconds);

    /// <summary>A vertex (compute, communication or root) finished.</summary>
    /// <param name="vertex">The vertex.</param>
    /// <param name="timeSeconds">Simulated time.</param>
    void OnFinished(GraphVertex vertex, double timeSeconds);
}
