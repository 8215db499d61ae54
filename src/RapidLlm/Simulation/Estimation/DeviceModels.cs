using RapidLlm.Compute;
using RapidLlm.Configuration;
using RapidLlm.Hardware;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Simulation;

/// <summary>
/// The cost models of one device type, built once per hardware description and shared by every estimate on it.
/// The GEMM model memoises its searches, so reusing one instance across estimates is what makes sweeps fast.
/// </summary>
internal sealed class DeviceModels
{
    /// <summary>Builds the models of the device described by <paramref name="hardware"/>.</summary>
    /// <param name="hardware">The hardware description.</param>
    public DeviceModels(HardwareConfig hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        Config = hardware;
        Hardware = HardwareDerivation.Derive(hardware);
        var software = hardware.Software;
        Gemm = new TiledGemmModel(Hardware, software.Precision.ActivationsBytes, software.KernelLaunchOverheadSeconds);
        Collectives = new AnalyticalCollectives(Hardware, software.KernelLaunchOverheadSeconds);
        if (hardware.PerformanceModel.Calibration is { } calibration)
        {
            Calibration = calibration;
            var activations = software.Precision.ActivationsBytes;
            var kernels = calibration.Kernels;
            Operations = CalibratedCostModels.Create(Hardware, calibration, activations, kernels.KernelGapSeconds);
            // The serving engine's own choice of CUDA graphs, when it states one, overrides the calibration's.
            var graphs = hardware.Serving?.CudaGraphs ?? kernels.DecodeCudaGraphs;
            DecodeOperations = CalibratedCostModels.Create(
                Hardware, calibration, activations, graphs ? kernels.KernelGapSeconds : kernels.EagerLaunchSeconds);
            CollectiveModel = CalibratedCostModels.Collectives(
                new CalibratedCollectives(calibration.Collectives.LatencySeconds, calibration.Collectives.LinkEfficiency));
        }
        else
        {
            Operations = DeviceCostModels.Create(Hardware, Gemm, Collectives);
            DecodeOperations = Operations;
            CollectiveModel = Operations.Collectives;
        }
    }

    /// <summary>The performance model these models implement (the hardware file's <c>performance_model</c>).</summary>
    public PerformanceModelKind PerformanceModel => Calibration is null ? PerformanceModelKind.Reference : PerformanceModelKind.Calibrated;

    /// <summary>The calibrated model's parameters; null for the reference model.</summary>
    public CalibrationConfig? Calibration { get; }

    /// <summary>
    /// The serving engine inference runs under (the hardware file's <c>serving</c> block); null prices the bare kernels.
    /// Only the calibrated model reads it. Part of the device's identity (<see cref="SameDevice"/>): its CUDA-graph choice
    /// sets the decode cost models.
    /// </summary>
    public ServingEngineConfig? Serving => Config.Serving;

    /// <summary>The hardware description the models were built from (or were lent to, see <see cref="For"/>).</summary>
    public HardwareConfig Config { get; private set; }

    /// <summary>The derived device (throughput, memory hierarchy).</summary>
    public HardwareModel Hardware { get; }

    /// <summary>The tiled GEMM model (memoised).</summary>
    public TiledGemmModel Gemm { get; }

    /// <summary>The analytical collective model.</summary>
    public AnalyticalCollectives Collectives { get; }

    /// <summary>The cost models the per-operation library consumes for training and prefill (eager kernel streams).</summary>
    public OperationCostModels Operations { get; }

    /// <summary>
    /// The cost models of decode steps: the same as <see cref="Operations"/> for the reference model; with the calibrated
    /// model, per-kernel costs of CUDA-graph replay (or of eager launches when the calibration turns graphs off).
    /// </summary>
    public OperationCostModels DecodeOperations { get; }

    /// <summary>
    /// The collective model that prices pipeline-graph communication (data-parallel gradient syncs, pipeline sends):
    /// the reference's analytical collectives, or the calibrated NCCL-like ones.
    /// </summary>
    public ICollectiveCostModel CollectiveModel { get; }

    /// <summary>
    /// The workload a decode step runs: unchanged for the reference model; the calibrated model runs decode without
    /// sequence parallelism (one new token per sequence is not split over the tp ranks; serving engines all-reduce).
    /// </summary>
    /// <param name="decode">The decode-phase workload built from the configuration.</param>
    internal TransformerWorkload DecodeWorkload(TransformerWorkload decode) =>
        Calibration is null || !decode.Parallelism.TensorSequenceParallel
            ? decode
            : decode with { Parallelism = decode.Parallelism with { TensorSequenceParallel = false } };

    /// <summary>The GEMM-mode estimator of this performance model.</summary>
    /// <param name="precision">Precision of tensors, parameters, gradients and optimizer states.</param>
    public IGemmModeEstimator GemmModeEstimator(PrecisionConfig precision)
    {
        ArgumentNullException.ThrowIfNull(precision);
        if (Calibration is not { } calibration) return new GemmModeEstimator(Gemm, Collectives, precision);
        return new CalibratedGemmModeEstimator(
            new CalibratedGemmModel(Hardware, calibration, precision.ActivationsBytes), new CalibratedRoofline(Hardware, calibration),
            new CalibratedCollectives(calibration.Collectives.LatencySeconds, calibration.Collectives.LinkEfficiency), calibration, precision);
    }

    /// <summary>The timer the pipeline graph's communication is priced with on <paramref name="network"/>.</summary>
    /// <param name="network">The network resolved for the run type.</param>
    public AnalyticalCommunicationTimer CommunicationTimer(ResolvedNetwork network) => new(CollectiveModel, network);

    /// <summary>
    /// These models for another configuration of the same device: the GEMM memo and every other cost model are shared,
    /// only <see cref="Config"/> (parallelism, network, ZeRO, recompute) differs. Falls back to new models when
    /// <paramref name="hardware"/> describes another device (see <see cref="SameDevice"/>).
    /// </summary>
    /// <param name="hardware">The configuration to estimate.</param>
    /// <returns>Models whose <see cref="Config"/> is <paramref name="hardware"/>.</returns>
    internal DeviceModels For(HardwareConfig hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        if (ReferenceEquals(hardware, Config)) return this;
        if (!SameDevice(Config, hardware)) return new DeviceModels(hardware);
        // A shallow copy shares every model (and whatever models are added later) by construction.
        var lent = (DeviceModels)MemberwiseClone();
        lent.Config = hardware;
        return lent;
    }

    /// <summary>
    /// Whether two hardware descriptions build the same cost models: they may differ only in parallelism, network,
    /// execution backend and the software settings the models never read (ZeRO stage, recompute, gradient sync, memory
    /// offset). Conservative: anything else that differs means separate models.
    /// </summary>
    /// <param name="a">One description.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when the models of one serve the other.</returns>
    internal static bool SameDevice(HardwareConfig a, HardwareConfig b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Normalized(a) == Normalized(b);

        static HardwareConfig Normalized(HardwareConfig h) => h with
        {
            Parallelism = NeutralParallelism,
            Network = NeutralNetwork,
            ExecutionBackend = ExecutionBackendConfig.Analytical,
            Software = h.Software with { DpZeroStage = 0, FullRecomputation = false, DpMicrobatch = DpMicrobatchSync.EveryMicrobatch, ConstMemOffsetBytes = 0 },
        };
    }

    private static readonly ParallelismConfig NeutralParallelism =
        new(1, false, 1, 1, 1, new TrainParallelismConfig(1, 1, true), new InferenceParallelismConfig(1, 1));

    private static readonly NetworkConfig NeutralNetwork =
        new(new NetworkOverlapConfig(0, 0, 0), Common.EquatableArray<NetworkDimensionConfig>.Empty, Common.EquatableArray<FaultyLink>.Empty);
}
