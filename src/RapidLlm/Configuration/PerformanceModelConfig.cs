namespace RapidLlm.Configuration;

/// <summary>Which performance model prices a hardware file's work.</summary>
public enum PerformanceModelKind
{
    /// <summary>
    /// The reference's model (RAPID-LLM 317a2cb), reproduced exactly: datasheet rates scaled by the file's <c>util</c>
    /// values, the tiled GEMM search, ring collectives. What a file without <c>performance_model</c> gets.
    /// </summary>
    Reference,

    /// <summary>
    /// RapidLlm's model calibrated against measured GPUs: achievable rather than datasheet rates, wave quantisation,
    /// per-kernel fixed costs, NCCL-like collectives and physical energy (<c>performance_model: calibrated</c>, with
    /// its parameters in the <c>calibration</c> block; see docs/configuration.md).
    /// </summary>
    Calibrated,
}

/// <summary>
/// The performance model of a hardware file: the reference's (the default) or the calibrated one with its parameters.
/// </summary>
/// <param name="Kind">Which model.</param>
/// <param name="Calibration">The calibrated model's parameters; null for the reference model.</param>
internal sealed record PerformanceModelConfig(PerformanceModelKind Kind, CalibrationConfig? Calibration)
{
    /// <summary>The reference model (no calibration).</summary>
    public static PerformanceModelConfig Reference { get; } = new(PerformanceModelKind.Reference, null);

    /// <summary>True for the calibrated model.</summary>
    public bool IsCalibrated => Kind == PerformanceModelKind.Calibrated;

    /// <summary>The calibrated model with <paramref name="calibration"/>.</summary>
    /// <param name="calibration">The parameters.</param>
    /// <returns>The configuration.</returns>
    public static PerformanceModelConfig Calibrated(CalibrationConfig calibration) =>
        new(PerformanceModelKind.Calibrated, calibration ?? throw new ArgumentNullException(nameof(calibration)));
}

/// <summary>
/// The parameters of the calibrated performance model (YAML <c>calibration</c>), each a physical quantity of the device
/// and its software stack, fitted once per device by the calibrator (docs/validation.md). Efficiencies multiply the
/// rates the file derives (datasheet × <c>util</c>; keep <c>util</c> at 1 with this model).
/// </summary>
/// <param name="Compute">Tensor throughput and GEMM tiling.</param>
/// <param name="Memory">Achievable HBM bandwidth.</param>
/// <param name="Kernels">Per-kernel fixed costs.</param>
/// <param name="Attention">FlashAttention throughput.</param>
/// <param name="Collectives">NCCL-like collectives.</param>
/// <param name="Power">Power floor and cap.</param>
internal sealed record CalibrationConfig(
    CalibratedComputeConfig Compute,
    CalibratedMemoryConfig Memory,
    CalibratedKernelConfig Kernels,
    CalibratedAttentionConfig Attention,
    CalibratedCollectiveConfig Collectives,
    CalibratedPowerConfig Power)
{
    /// <summary>
    /// The H100 fit, for a file that states the H100's DRAM bandwidth as the reference does ("3350 GB" = 3.6e12 B/s, so
    /// HBM efficiency 0.836 is the measured 3.01 TB/s copy); what omitted keys get.
    /// </summary>
    public static CalibrationConfig Default { get; } = new(
        CalibratedComputeConfig.Default, CalibratedMemoryConfig.Default, CalibratedKernelConfig.Default,
        CalibratedAttentionConfig.Default, CalibratedCollectiveConfig.Default, CalibratedPowerConfig.Default);
}

/// <summary>Tensor-core throughput and the GEMM tiling the calibrated model assumes (<c>calibration.compute</c>).</summary>
/// <param name="TensorEfficiency">Achievable dense tensor FLOP/s of large GEMMs over the datasheet rate (<c>tensor_efficiency</c>).</param>
/// <param name="Fp8Speedup">Tensor rate multiplier when <c>tensor_format</c> is one byte (<c>fp8_speedup</c>; Hopper 2, Ampere 1).</param>
/// <param name="TileM">Rows of the output tile one SM computes (<c>gemm_tile</c>[0]); both orientations are tried.</param>
/// <param name="TileN">Columns of that tile (<c>gemm_tile</c>[1]).</param>
/// <param name="MinSplitK">Smallest reduction length a split-K slice may have (<c>gemm_min_split_k</c>, elements).</param>
/// <param name="TileOverheadK">
/// Fixed cost of one output tile (prologue, epilogue, pipeline fill) as an equivalent reduction length
/// (<c>gemm_tile_overhead_k</c>, elements): a slice of length K runs at K / (K + this) of the tensor rate.
/// </param>
internal sealed record CalibratedComputeConfig(
    double TensorEfficiency, double Fp8Speedup, int TileM, int TileN, int MinSplitK, double TileOverheadK)
{
    /// <summary>The H100 fit.</summary>
    public static CalibratedComputeConfig Default { get; } = new(0.826, 2.0, 128, 256, 1024, 512);
}

/// <summary>Achievable memory bandwidth (<c>calibration.memory</c>).</summary>
/// <param name="HbmEfficiency">
/// Streaming (device-to-device copy) HBM bandwidth over the file's DRAM bandwidth (<c>hbm_efficiency</c>); GEMMs,
/// KV-cache reads and the optimizer stream at this rate.
/// </param>
/// <param name="ElementwiseEfficiency">
/// Fraction of that streaming rate that framework elementwise and normalisation kernels reach
/// (<c>elementwise_efficiency</c>; eager PyTorch norms and activations run several passes with fp32 temporaries).
/// </param>
internal sealed record CalibratedMemoryConfig(double HbmEfficiency, double ElementwiseEfficiency)
{
    /// <summary>The H100 fit.</summary>
    public static CalibratedMemoryConfig Default { get; } = new(0.836, 0.726);
}

/// <summary>Per-kernel fixed costs (<c>calibration.kernels</c>).</summary>
/// <param name="EagerLaunchSeconds">
/// Host dispatch of one framework operator in eager mode (<c>eager_launch</c>): it is paid in full by an isolated
/// kernel (GEMM mode) and by every kernel of an eager decode step, whose kernels are shorter than the dispatch.
/// </param>
/// <param name="KernelGapSeconds">
/// GPU-side fixed cost of each kernel in a stream that keeps the GPU busy or in a CUDA graph (<c>kernel_gap</c>):
/// launch gap, ramp-up and tail.
/// </param>
/// <param name="DecodeCudaGraphs">Whether decode steps replay as CUDA graphs (<c>decode_cuda_graphs</c>; serving stacks do).</param>
internal sealed record CalibratedKernelConfig(double EagerLaunchSeconds, double KernelGapSeconds, bool DecodeCudaGraphs)
{
    /// <summary>The H100 fit.</summary>
    public static CalibratedKernelConfig Default { get; } = new(11.7e-6, 3.27e-6, true);
}

/// <summary>FlashAttention kernels (<c>calibration.attention</c>).</summary>
/// <param name="FlashForwardEfficiency">
/// Forward FLOP/s at long sequences and head dimension 128 over the datasheet tensor rate (<c>flash_forward_efficiency</c>).
/// </param>
/// <param name="FlashBackwardEfficiency">The same for the backward kernels (<c>flash_backward_efficiency</c>).</param>
/// <param name="FlashOverheadTokens">
/// Fixed cost of one query row as an equivalent number of key tokens (<c>flash_overhead_tokens</c>): a query that attends
/// to L keys costs as much as L + this keys (pipeline fill, the row's rescale and output write).
/// </param>
/// <param name="FlashPairOverheadFlops">
/// Non-tensor work per (query, key) pair, as equivalent tensor FLOPs (<c>flash_pair_overhead_flops</c>): the softmax
/// exponential and rescale on the special-function and FP32 units. It makes small head dimensions less efficient
/// (a pair costs 4·d + this); the efficiencies above are quoted at d = 128.
/// </param>
internal sealed record CalibratedAttentionConfig(
    double FlashForwardEfficiency, double FlashBackwardEfficiency, double FlashOverheadTokens, double FlashPairOverheadFlops)
{
    /// <summary>The H100 fit.</summary>
    public static CalibratedAttentionConfig Default { get; } = new(0.68, 0.534, 281, 64);
}

/// <summary>
/// NCCL-like collectives (<c>calibration.collectives</c>). Each algorithm step (one hop of a ring) costs the network
/// dimension's <c>topology.latency</c>; large messages move at the dimension's bandwidth × <see cref="LinkEfficiency"/>.
/// </summary>
/// <param name="LatencySeconds">Fixed cost of one collective: kernel launch and the ranks' synchronisation (<c>latency</c>).</param>
/// <param name="LinkEfficiency">Large-message bus bandwidth over the dimension's link bandwidth (<c>link_efficiency</c>).</param>
internal sealed record CalibratedCollectiveConfig(double LatencySeconds, double LinkEfficiency)
{
    /// <summary>The H100 fit.</summary>
    public static CalibratedCollectiveConfig Default { get; } = new(20.6e-6, 0.8);
}

/// <summary>
/// Power of one GPU (<c>calibration.power</c>). Energy is the idle floor of every GPU over the run plus dynamic energy
/// per FLOP (<c>tech_param.core.nominal_energy_per_flop</c>), per HBM byte (<c>tech_param.DRAM.dynamic_energy_per_bit</c>)
/// and per link byte (each network dimension's <c>energy_per_bit</c>), with each GPU's average power capped at its TDP.
/// </summary>
/// <param name="IdleWatts">Power of a powered-on GPU doing nothing (<c>idle</c>, W).</param>
/// <param name="TdpWatts">Board power limit (<c>tdp</c>, W).</param>
internal sealed record CalibratedPowerConfig(double IdleWatts, double TdpWatts)
{
    /// <summary>H100 SXM.</summary>
    public static CalibratedPowerConfig Default { get; } = new(80, 700);
}
