using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Operations;

namespace RapidLlm.AstraSim.Execution;

/// <summary>
/// An execution backend that needs the transformer layer besides the pipeline graph: the AstraSim modes time the layer
/// graphs (hybrid, hierarchical) or expand the pipeline into per-rank operations (flattened), and price the layer
/// model's collectives with AstraSim microbenchmarks. Estimators ask for <see cref="LayerCollectives"/> before costing
/// the layer and for a <see cref="Plan"/> before building each pipeline graph.
/// </summary>
internal interface IAstraStepBackend : IExecutionBackend
{
    /// <summary>The collective model the layer costs use in this mode.</summary>
    /// <param name="runType">Training or inference (selects the axis sizes the network is planned with).</param>
    ICollectiveCostModel LayerCollectives(RunType runType);

    /// <summary>Runs what the step needs before its pipeline graph exists and says how to time that graph.</summary>
    /// <param name="step">The layer the step's pipeline graph is built from.</param>
    AstraStepPlan Plan(AstraLayerStep step);
}
