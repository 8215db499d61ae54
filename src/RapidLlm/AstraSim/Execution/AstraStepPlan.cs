using RapidLlm.Execution;

namespace RapidLlm.AstraSim.Execution;

/// <summary>How one pipeline step runs under an AstraSim mode.</summary>
/// <param name="Transformer">AstraSim's times of one transformer layer, to replace the analytical layer durations in
/// the pipeline graph (hybrid and hierarchical), or null to keep them (flattened).</param>
/// <param name="Pipeline">Times the pipeline graph built with those durations.</param>
internal sealed record AstraStepPlan(AstraTransformerTimes? Transformer, IExecutionBackend Pipeline)
{
    /// <summary>AstraSim's times of one MoE layer, to replace the MoE layers' durations (hybrid and hierarchical with a
    /// MoE model); null otherwise.</summary>
    public AstraTransformerTimes? MoeTransformer { get; init; }
}
