using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Hardware;
using RapidLlm.Inference;
using RapidLlm.Memory;
using RapidLlm.Network;
using RapidLlm.Results;

namespace RapidLlm.Simulation;

/// <summary>
/// A validated hardware and model pair, ready to estimate. Build one with
/// <c>LlmSimulation.Create().Hardware(…).Model(…).Build()</c> or load one with <see cref="FromYaml"/>.
/// Immutable; the device's cost models are built once, on first use, and shared by every estimate of this instance
/// (that memo is what makes repeated estimates fast).
/// </summary>
/// <remarks>
/// The entry point is <c>LlmSimulation.Create()</c> rather than the <c>RapidLlm.Simulation()</c> the style guide
/// sketches: C# has no free functions, and a type named like its namespace (<c>RapidLlm.Simulation.Simulation</c>)
/// forces users to qualify it.
/// </remarks>
public sealed class LlmSimulation
{
    private readonly Lazy<DeviceModels> _device;
    private readonly Lock _backendGate = new();
    private IExecutionBackend? _backend;

    internal LlmSimulation(
        HardwareConfig hardware, ModelConfig model, EquatableArray<ConfigDiagnostic> warnings, EnergyAccounting energy, SingleStageMicroBatchPolicy singleStage,
        string hardwareSource = "<hardware>", string modelSource = "<model>", Func<HardwareConfig, DeviceModels>? sharedDevice = null,
        Func<BackendBuildContext, IExecutionBackend>? backendFactory = null, SimulationServices? services = null)
    {
        BackendFactory = backendFactory;
        Services = services ?? SimulationServices.Default;
        HardwareSource = hardwareSource;
        ModelSource = modelSource;
        Hardware = hardware;
        Model = model;
        Warnings = warnings;
        EnergyAccounting = energy;
        SingleStagePolicy = singleStage;
        // A simulation derived from another (ToBuilder, a search) reuses its device's models and GEMM memo when the
        // device is the same; only the parallelism and software choices differ between them.
        _device = sharedDevice is null
            ? new Lazy<DeviceModels>(() => new DeviceModels(hardware))
            : new Lazy<DeviceModels>(() => sharedDevice(hardware));
    }

    /// <summary>Starts describing a simulation.</summary>
    /// <returns>An empty builder; <see cref="LlmSimulationBuilder.Hardware(HardwareConfig)"/> and <see cref="LlmSimulationBuilder.Model(ModelConfig)"/> are required.</returns>
    public static LlmSimulationBuilder Create() => new();

    /// <summary>Loads a hardware and a model YAML file (either schema) and validates them together, as the CLI does.</summary>
    /// <param name="hardwareYamlPath">The hardware file.</param>
    /// <param name="modelYamlPath">The model file.</param>
    /// <exception cref="ConfigurationException">Every problem in either file and their incompatibilities.</exception>
    public static LlmSimulation FromYaml(string hardwareYamlPath, string modelYamlPath) =>
        Create().Hardware(hardwareYamlPath).Model(modelYamlPath).Build();

    /// <summary>The hardware, with the builder's changes applied.</summary>
    public HardwareConfig Hardware { get; }

    /// <summary>The model, with a seed-schema inference batch resolved per replica.</summary>
    public ModelConfig Model { get; }

    /// <summary>Warnings found while validating (the simulation is usable).</summary>
    public EquatableArray<ConfigDiagnostic> Warnings { get; }

    /// <summary>How inference energy counts layers; default <see cref="Inference.EnergyAccounting.AllLayers"/>.</summary>
    public EnergyAccounting EnergyAccounting { get; }

    /// <summary>How micro-batches run with one pipeline stage; default <see cref="SingleStageMicroBatchPolicy.Chain"/>.</summary>
    internal SingleStageMicroBatchPolicy SingleStagePolicy { get; }

    /// <summary>The shared services (output folder, clock, log) the simulation's backend is created with.</summary>
    public SimulationServices Services { get; }

    /// <summary>
    /// The backend that times this simulation's graphs: the one registered with
    /// <see cref="LlmSimulationBuilder.UseBackend(Func{BackendBuildContext, IExecutionBackend})"/> (or an extension such as
    /// <c>UseAstraSim</c>), else the analytical backend. Created once, on first use.
    /// </summary>
    /// <exception cref="BackendUnavailableException">The hardware selects a backend that is not registered (AstraSim without
    /// <c>UseAstraSim</c>), or the registered one cannot run here (no AstraSim binary).</exception>
    internal IExecutionBackend Backend
    {
        get
        {
            lock (_backendGate)
            {
                // Not cached on failure: a binary installed later is found by the next estimate.
                return _backend ??= CreateBackend();
            }
        }
    }

    /// <summary>The registered backend factory; null uses the analytical backend (or fails for an AstraSim hardware).</summary>
    internal Func<BackendBuildContext, IExecutionBackend>? BackendFactory { get; }

    /// <summary>Where the hardware came from (a file name, or "&lt;hardware&gt;" when built in code), for messages.</summary>
    internal string HardwareSource { get; }

    /// <summary>Where the model came from, for messages.</summary>
    internal string ModelSource { get; }

    /// <summary>
    /// A builder holding this simulation's hardware, model and options, for what-if variations. Simulations it builds on
    /// the same device share this one's cost models (the GEMM memo), so a sweep of variations stays fast.
    /// </summary>
    /// <returns>A new builder; changing it does not change this simulation.</returns>
    public LlmSimulationBuilder ToBuilder() => LlmSimulationBuilder.From(this);

    /// <summary>
    /// This simulation with other shared services (e.g. an output folder per run), without validating again; it shares
    /// this one's cost models and backend factory (its backend is created anew, with the new services).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The new simulation.</returns>
    public LlmSimulation WithServices(SimulationServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var absolute = services.OutputDirectory is { } output ? services with { OutputDirectory = Path.GetFullPath(output) } : services;
        return new LlmSimulation(Hardware, Model, Warnings, EnergyAccounting, SingleStagePolicy, HardwareSource, ModelSource, _ => Device(), BackendFactory, absolute);
    }

    /// <summary>Estimates one training step (time per batch, per-GPU memory).</summary>
    /// <param name="includeMemory">Also simulate per-GPU memory; default true (false is faster for timing sweeps).</param>
    /// <param name="cancellationToken">Stops the estimate (<see cref="OperationCanceledException"/>); an external simulator's process is killed.</param>
    /// <exception cref="InvalidOperationException">The model is not an LLM or ViT training run.</exception>
    /// <exception cref="UnsupportedFeatureException">The model kind is not available in this build.</exception>
    /// <exception cref="BackendUnavailableException">The selected backend is not registered or cannot run here.</exception>
    /// <exception cref="ConfigurationException">The configuration is beyond what the model's math can estimate (it names the setting to change).</exception>
    public TrainingEstimate EstimateTraining(bool includeMemory = true, CancellationToken cancellationToken = default)
    {
        var transformer = RequireTransformer(RunType.Training, nameof(EstimateTraining));
        cancellationToken.ThrowIfCancellationRequested();
        var backend = Backend;
        return Checked(() => new TrainingEstimator(Device(), backend, SingleStagePolicy).Estimate(transformer, includeMemory, cancellationToken), e => e.ToTable());
    }

    /// <summary>
    /// Estimates serving one batch: prefill, sampled decode, rates, throughput, energy and per-GPU memory. A ViT runs one
    /// forward pass over its patch tokens (the prefill) and no decode.
    /// </summary>
    /// <param name="includeMemory">Also simulate per-GPU memory; default true.</param>
    /// <param name="cancellationToken">Stops the estimate (<see cref="OperationCanceledException"/>), between decode samples and in a backend's external runs.</param>
    /// <exception cref="InvalidOperationException">The model is not an LLM or ViT inference run.</exception>
    /// <exception cref="UnsupportedFeatureException">The model kind is not available in this build.</exception>
    /// <exception cref="BackendUnavailableException">The selected backend is not registered or cannot run here.</exception>
    /// <exception cref="ConfigurationException">The configuration is beyond what the model's math can estimate (it names the setting to change).</exception>
    public InferenceEstimate EstimateInference(bool includeMemory = true, CancellationToken cancellationToken = default)
    {
        var transformer = RequireTransformer(RunType.Inference, nameof(EstimateInference));
        cancellationToken.ThrowIfCancellationRequested();
        var backend = Backend;
        return Checked(() => new LlmInferenceEstimator(Device(), backend, EnergyAccounting, SingleStagePolicy).Estimate(transformer, includeMemory, cancellationToken), e => e.ToTable());
    }

    /// <summary>
    /// Estimates per-GPU memory only: the training peak, or the inference prefill and final-decode peaks. Memory needs
    /// only the graphs, so no backend runs (an AstraSim hardware needs neither the binary nor <c>UseAstraSim</c>).
    /// </summary>
    /// <param name="cancellationToken">Stops the estimate (<see cref="OperationCanceledException"/>).</param>
    /// <exception cref="InvalidOperationException">The model is a GEMM.</exception>
    /// <exception cref="UnsupportedFeatureException">The model kind is not available in this build.</exception>
    /// <exception cref="ConfigurationException">The configuration is beyond what the model's math can estimate (it names the setting to change).</exception>
    public MemoryEstimate EstimateMemory(CancellationToken cancellationToken = default)
    {
        var transformer = RequireTransformer(null, nameof(EstimateMemory));
        cancellationToken.ThrowIfCancellationRequested();
        return Checked(() => transformer.RunType == RunType.Inference
            ? new LlmInferenceEstimator(Device(), singleStagePolicy: SingleStagePolicy).EstimateMemory(transformer, cancellationToken)
            : new TrainingEstimator(Device(), singleStagePolicy: SingleStagePolicy).Estimate(transformer, includeMemory: true, cancellationToken).Memory!, m => m.ToTable());
    }

    /// <summary>Estimates the GEMM of a GEMM-mode model (forward, backward, tensor- and data-parallel reductions); no backend runs.</summary>
    /// <param name="cancellationToken">Stops the estimate (<see cref="OperationCanceledException"/>).</param>
    /// <exception cref="InvalidOperationException">The model is not a GEMM.</exception>
    /// <exception cref="ConfigurationException">The configuration is beyond what the model's math can estimate (it names the setting to change).</exception>
    public GemmModeEstimate EstimateGemm(CancellationToken cancellationToken = default)
    {
        if (Model.Gemm is not { } gemm)
            throw new InvalidOperationException($"{nameof(EstimateGemm)} needs a GEMM-mode model (ModelPresets.Gemm(…)); this model is {Model.Mode} {Model.RunType}.");
        cancellationToken.ThrowIfCancellationRequested();
        return Checked(() =>
        {
            var device = Device();
            var network = NetworkResolution.Resolve(Hardware, RunType.Training);
            var p = Hardware.Parallelism;
            return device.GemmModeEstimator(Hardware.Software.Precision)
                .Estimate(gemm, p.Tp, p.Train.Dp, network.LinkFor(ParallelismAxis.Tp), network.LinkFor(ParallelismAxis.Dp));
        }, g => g.ToTable());
    }

    private T Checked<T>(Func<T> estimate, Func<T, ResultTable> table) =>
        EstimateChecks.Run(Hardware, Model, HardwareSource, ModelSource, estimate, table);

    /// <inheritdoc />
    public override string ToString()
    {
        var p = Hardware.Parallelism;
        var what = Model.Transformer is { } t
            ? $"{t.ModelType} {t.NumLayers}×{t.HiddenDim} {t.RunType.ToString().ToLowerInvariant()} (batch {t.GlobalBatchSize}, seq {t.SeqLen})"
            : $"GEMM {Model.Gemm!.M}×{Model.Gemm.K}×{Model.Gemm.N}";
        return $"{what} on tp {p.Tp}{(p.TpSp ? "+sp" : "")}, cp {p.Cp}, pp {p.Pp} (mb {p.MicroBatches}{(p.Schedule.Kind == Configuration.PipelineScheduleKind.GPipe ? "" : ", " + p.Schedule)}), dp {p.Train.Dp}; {Hardware.ExecutionBackend.Kind} backend";
    }

    private TransformerConfig RequireTransformer(RunType? runType, string method)
    {
        if (Model.Transformer is not { } t || Model.Mode is not (ModelMode.Llm or ModelMode.Vit))
            throw new InvalidOperationException($"{method} needs an LLM or ViT model; this model is {Model.Mode}{(Model.Mode == ModelMode.Gemm ? " (use EstimateGemm)" : "")}.");
        if (runType is { } wanted && t.RunType != wanted)
            throw new InvalidOperationException($"{method} needs a {wanted.ToString().ToLowerInvariant()} run; this model is a {t.RunType.ToString().ToLowerInvariant()} run (use {(t.RunType == RunType.Training ? nameof(EstimateTraining) : nameof(EstimateInference))}).");
        return t;
    }

    private IExecutionBackend CreateBackend()
    {
        if (BackendFactory is { } factory)
            return factory(new BackendBuildContext(Hardware, Device().Collectives, Services))
                ?? throw new InvalidOperationException("The backend factory registered with UseBackend returned null; return an IExecutionBackend.");
        if (Hardware.ExecutionBackend.Kind == ExecutionBackendKind.Analytical) return AnalyticalBackend.Instance;
        throw new BackendUnavailableException(
            $"{HardwareSource} selects the AstraSim backend (execution_backend.model: astra, mode {Hardware.ExecutionBackend.Name}), but this simulation has "
            + "no AstraSim backend registered: reference the RapidLlm.AstraSim package and call UseAstraSim(...) on the builder "
            + "(or select execution_backend.model: analytical, or call UseAnalytical()).");
    }

    internal DeviceModels Device() => _device.Value;
}
