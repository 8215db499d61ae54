using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>The forward costs of one decode step at a given KV length.</summary>
/// <param name="KvLength">Tokens attended over, including the new one.</param>
/// <param name="Mode">The parallelism mode.</param>
/// <param name="Shapes">Unsharded GEMM shapes of the step.</param>
/// <param name="Operations">
/// Operators in the reference's order: <c>qkv_proj</c>, <c>attention</c>, <c>attention_scale_softmax</c>,
/// <c>output_proj</c>, <c>ffn1</c>, <c>ffn2</c>, <c>gelu</c>, <c>layernorm1</c>, <c>layernorm2</c>, <c>linear_softmax</c>
/// (forward only).
/// </param>
/// <param name="Nodes">Node durations: transformer and LM head forward; embedding and all backward are 0.</param>
/// <param name="CrossStageBytes">Activations one token step passes between pipeline stages (B·D·act).</param>
internal sealed record DecodeStepCosts(
    long KvLength,
    ParallelismMode Mode,
    LayerGemmShapes Shapes,
    EquatableArray<OperationCost> Operations,
    NodeBreakdown Nodes,
    double CrossStageBytes)
{
    /// <summary>Finds an operator by its reference name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The operator or null.</returns>
    public OperationCost? Find(string name) => Operations.FirstOrDefault(op => op.Name == name);

    /// <summary>The per-step energy inputs (one layer's FLOPs and DRAM bytes, and its communicated bytes).</summary>
    public EnergyInputs Energy => EnergyInputs.FromForward(Operations);
}
