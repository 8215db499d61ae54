using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>
/// The MLP block of one decode step as a layer variant supplies it: the two FFN operators, the activation time, and
/// any operators the variant adds around them (a MoE layer's router and token exchanges) with their summed time.
/// </summary>
/// <param name="Ffn1">The <c>ffn1</c> operator (forward only).</param>
/// <param name="ActivationSeconds">The activation kernel's time.</param>
/// <param name="Ffn2">The <c>ffn2</c> operator (forward only).</param>
/// <param name="ExtraSeconds">Time of the extra operators, added to the MLP block after the FFNs and the activation.</param>
/// <param name="ExtraOperations">The extra operators, listed before <c>ffn1</c> as the reference lists them.</param>
internal sealed record DecodeMlpCosts(
    OperationCost Ffn1,
    double ActivationSeconds,
    OperationCost Ffn2,
    double ExtraSeconds,
    EquatableArray<OperationCost> ExtraOperations);
