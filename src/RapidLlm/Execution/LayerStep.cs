using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Operations;

namespace RapidLlm.Execution;

/// <summary>
/// The transformer layer one pipeline graph (a training step, the prefill, one decode step) is built from: what a
/// backend may need besides the pipeline graph itself, e.g. to time the layer's per-rank graphs on its own.
/// </summary>
/// <param name="Ops">The layer's six graph operators with their costs.</param>
/// <param name="Mode">The parallelism mode the costs were computed for.</param>
/// <param name="RunType">Training (forward and backward layer graphs) or inference (forward only).</param>
internal sealed record LayerStep(EquatableArray<TransformerGraphOp> Ops, ParallelismMode Mode, RunType RunType)
{
    /// <summary>The MoE layer, for models with MoE layers (their pipeline vertices use it); null for dense models.</summary>
    public MoeLayerStep? Moe { get; init; }
}
