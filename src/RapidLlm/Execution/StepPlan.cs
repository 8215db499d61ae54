namespace RapidLlm.Execution;

/// <summary>How one pipeline step runs: layer times to write into the pipeline graph, and who times that graph.</summary>
/// <param name="Transformer">The backend's own times of one transformer layer, replacing the analytical layer
/// durations in the pipeline graph, or null to keep them.</param>
/// <param name="Pipeline">Times the pipeline graph built with those durations.</param>
internal sealed record StepPlan(LayerTimes? Transformer, IExecutionBackend Pipeline)
{
    /// <summary>The backend's times of one MoE layer, replacing the MoE layers' durations; null keeps them.</summary>
    public LayerTimes? MoeTransformer { get; init; }
}
