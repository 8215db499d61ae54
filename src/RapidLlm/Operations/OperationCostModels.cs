namespace RapidLlm.Operations;

/// <summary>The device-level models the operation costs are composed from.</summary>
/// <param name="Gemm">GEMM timing (with its cache).</param>
/// <param name="Roofline">Pointwise roofline.</param>
/// <param name="Collectives">Analytical collectives.</param>
/// <param name="MemoryLevelCount">Levels of the memory hierarchy (the last is DRAM).</param>
/// <param name="NumBundles">SMs (MCU bundles) of the device, used for the FlashAttention K/V preload.</param>
internal sealed record OperationCostModels(
    IGemmCostModel Gemm,
    IRooflineModel Roofline,
    ICollectiveCostModel Collectives,
    int MemoryLevelCount,
    long NumBundles)
{
    /// <summary>Index of the DRAM level.</summary>
    public int DramLevel => MemoryLevelCount - 1;

    /// <summary>
    /// Per-kernel fixed cost operators add for each kernel they launch; null uses the workload's
    /// <c>sw_param.kernel_launch_overhead</c> (the reference model). The calibrated model sets it per launch mode.
    /// </summary>
    public double? KernelOverheadSeconds { get; init; }

    /// <summary>The calibrated model's operator formulas (FlashAttention, LM head, optimizer); null for the reference model.</summary>
    internal CalibratedOperators? Calibrated { get; init; }
}
