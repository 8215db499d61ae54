using System.Collections.Immutable;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>
/// One measured GPU entry (for example <c>H100:llama2-7b_prefill_b1_s2048</c>) and how it maps to a model quantity:
/// the model YAML files to run and the change its hardware file needs relative to a plain single-GPU file.
/// </summary>
/// <param name="Device">The card, for example <c>H100</c>.</param>
/// <param name="Name">The entry's name (its case folder).</param>
/// <param name="Section">gemm, prefill, decode, layer or train.</param>
/// <param name="Quantity">The model quantity compared.</param>
/// <param name="MeasuredSeconds">The measured median.</param>
/// <param name="Runs">Model YAML path per run role (<c>main</c>, <c>inf_L1</c>, <c>inf_L2</c>, <c>train_L2</c>).</param>
/// <param name="HardwareOverlay">YAML the case merges into the hardware file (recompute, optimizer precision); may be empty.</param>
public sealed record GpuMeasurement(
    string Device,
    string Name,
    string Section,
    GpuQuantity Quantity,
    double MeasuredSeconds,
    ImmutableSortedDictionary<string, string> Runs,
    string HardwareOverlay)
{
    /// <summary>The entry's public id, <c>Device:Name</c>.</summary>
    public string Id => $"{Device}:{Name}";

    /// <summary>The model file of one run role.</summary>
    /// <param name="role">The role.</param>
    public string Run(string role) => Runs.TryGetValue(role, out var path)
        ? path
        : throw new InvalidOperationException($"The GPU entry {Id} has no '{role}' model file.");
}
