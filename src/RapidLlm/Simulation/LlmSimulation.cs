using RapidLlm.Common;
using RapidLlm.AstraSim.Execution;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Estimation;
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

    internal LlmSimulation(
        HardwareConfig hardware, ModelConfig model, EquatableArray<ConfigDiagnostic> warnings, EnergyAccounting energy, SingleStageMicroBatchPolicy singleStage,
        string hardwareSource = "<hardware>", string modelSource = "<model>", Func<HardwareConfig, DeviceModels>? sharedDevice = null)
    {
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
    public SingleStageMicroBatchPolicy SingleStagePolicy { get; }

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

    /// <summary>Estimates one training step (time per batch, per-GPU memory).</summary>
    /// <param name="includeMemory">Also simulate per-GPU memory; default true (false is faster for timing sweeps).</param>
    /// <exception cref="InvalidOperationException">The model is not an LLM or ViT training run.</exception>
    /// <exception cref="UnsupportedFeatureException">The selected backend or model kind is not available in this build.</exception>
    /// <exception cref="ConfigurationException">The configuration is beyond what the model's math can estimate (it names the setting to change).</exception>
    public TrainingEstimate EstimateTraining(bool includeMemory = true)
    {
        var transformer = RequireTransformer(RunType.Training, nameof(EstimateTraining));
        var backend = Backend();
        return Checked(() => new TrainingEstimator(Device(), backend, SingleStagePolicy).Estimate(transformer, includeMemory), e => e.ToTable());
    }

    /// <summary>
    /// Estimates serving one batch: prefill, sampled decode, rates, throughput, energy and per-GPU memory. A ViT runs one
    /// forward pass over its patch tokens (the prefill) and no decode.
    /// </summary>
    /// <param name="includeMemory">Also simulate per-GPU memory; default true.</param>
    /// <exception cref="InvalidOperationException">The model is not an LLM or ViT inference run.</exception>
    /// <exception cref="UnsupportedFeatureException">The selected backend or model kind is not available in this build.</exception>
    /// <exception cref="ConfigurationException">The configuration is beyond what the model's math can estimate (it names the setting to change).</exception>
    public InferenceEstimate EstimateInference(bool includeMemory = true)
    {
        var transformer = RequireTransformer(RunType.Inference, nameof(EstimateInference));
        var backend = Backend();
        return Checked(() => new LlmInferenceEstimator(Device(), backend, EnergyAccounting, SingleStagePolicy).Estimate(transformer, includeMemory), e => e.ToTable());
    }

    /// <summary>Estimates per-GPU memory only: the training peak, or the inference prefill and final-decode peaks.</summary>
    /// <exception cref="InvalidOperationException">The model is a GEMM.</exception>
    /// <exception cref="UnsupportedFeatureException">The selected backend or model kind is not available in this build.</exception>
    /// <exception cref="ConfigurationException">The configuration is beyond what the model's math can estimate (it names the setting to change).</exception>
    public MemoryEstimate EstimateMemory()
    {
        var transformer = RequireTransformer(null, nameof(EstimateMemory));
        return Checked(() => transformer.RunType == RunType.Inference
            ? new LlmInferenceEstimator(Device(), singleStagePolicy: SingleStagePolicy).EstimateMemory(transformer)
            : new TrainingEstimator(Device(), singleStagePolicy: SingleStagePolicy).Estimate(transformer, includeMemory: true).Memory!, m => m.ToTable());
    }

    /// <summary>Estimates the GEMM of a GEMM-mode model (forward, backward, tensor- and data-parallel reductions).</summary>
    /// <exception cref="InvalidOperationException">The model is not a GEMM.</exception>
    /// <exception cref="UnsupportedFeatureException">The selected backend is not available in this build.</exception>
    /// <exception cref="ConfigurationException">The configuration is beyond what the model's math can estimate (it names the setting to change).</exception>
    public GemmModeEstimate EstimateGemm()
    {
        if (Model.Gemm is not { } gemm)
            throw new InvalidOperationException($"{nameof(EstimateGemm)} needs a GEMM-mode model (ModelPresets.Gemm(…)); this model is {Model.Mode} {Model.RunType}.");
        return Checked(() =>
        {
            var device = Device();
            var network = HardwareDerivation.ResolveNetwork(Hardware, RunType.Training);
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

    // The configured backend; AstraSim modes throw AstraSimBinaryNotFoundException here when no binary is found.
    private IExecutionBackend Backend() => ExecutionBackendFactory.Create(Hardware, Device().Collectives);

    internal DeviceModels Device() => _device.Value;
}
