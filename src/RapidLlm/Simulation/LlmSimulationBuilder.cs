using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Hardware;
using RapidLlm.Inference;
using RapidLlm.Network;

namespace RapidLlm.Simulation;

/// <summary>
/// Collects the choices of a simulation and turns them into an immutable, validated <see cref="LlmSimulation"/> with
/// <see cref="Build"/>. Start one with <see cref="LlmSimulation.Create"/>. The builder is mutable and not thread-safe;
/// the simulation it builds is immutable.
/// </summary>
/// <remarks>
/// Defaults: the hardware's own parallelism, network, software settings and execution backend are kept unless
/// <see cref="Parallelism"/>, <see cref="Network"/>, <see cref="Software"/>, <see cref="UseAnalytical"/> or
/// <see cref="ExecutionBackend"/> change them; graphs are timed by the analytical backend unless <see cref="UseBackend(IStepBackend)"/>
/// or an extension (<c>UseAstraSim</c> in the RapidLlm.AstraSim package) registers another; no output folder, the system
/// clock and no log (<see cref="Services"/>); energy counts every layer (<see cref="EnergyAccounting.AllLayers"/>); a
/// single pipeline stage chains its micro-batches (<see cref="SingleStageMicroBatchPolicy.Chain"/>).
/// </remarks>
public sealed class LlmSimulationBuilder
{
    private HardwareConfig? _hardware;
    private ConfigLoadResult<HardwareConfig>? _hardwareLoaded;
    private ConfigLoadResult<ModelConfig>? _modelLoaded;
    private Func<BackendBuildContext, IExecutionBackend>? _backendFactory;
    private SimulationServices _services = SimulationServices.Default;
    private string? _hardwarePath;
    private string _hardwareSource = "<hardware>";
    private ModelConfig? _model;
    private string? _modelPath;
    private string _modelSource = "<model>";
    private ParallelismBuilder? _parallelism;
    private NetworkBuilder? _network;
    private SoftwareBuilder? _software;
    private DeviceBuilder? _device;
    private Func<List<ConfigDiagnostic>, ExecutionBackendConfig>? _backend;
    private PerformanceModelConfig? _performanceModel;
    private (bool Set, ServingEngineConfig? Engine) _serving;
    private EnergyAccounting _energy = EnergyAccounting.AllLayers;
    private SingleStageMicroBatchPolicy _singleStage = SingleStageMicroBatchPolicy.Chain;
    private Func<HardwareConfig, DeviceModels>? _sharedDevice;

    internal LlmSimulationBuilder()
    {
    }

    /// <summary>The hardware to simulate, e.g. <see cref="HardwarePresets.A100Sxm80GB"/>. Required (this or <see cref="Hardware(string)"/>).</summary>
    /// <param name="hardware">The hardware description.</param>
    public LlmSimulationBuilder Hardware(HardwareConfig hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        (_hardware, _hardwarePath, _hardwareSource, _hardwareLoaded) = (hardware, null, "<hardware>", null);
        return this;
    }

    /// <summary>Hardware already read from YAML (<see cref="HardwareConfig.LoadYamlText"/>); its source name and positions are kept for messages.</summary>
    /// <param name="loaded">The loaded file.</param>
    public LlmSimulationBuilder Hardware(ConfigLoadResult<HardwareConfig> loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        (_hardware, _hardwarePath, _hardwareSource, _hardwareLoaded) = (loaded.Value, null, loaded.Source, loaded);
        return this;
    }

    /// <summary>The hardware YAML file to simulate (either schema); it is read by <see cref="Build"/>, which reports its problems with the others.</summary>
    /// <param name="yamlPath">The file.</param>
    public LlmSimulationBuilder Hardware(string yamlPath)
    {
        ArgumentNullException.ThrowIfNull(yamlPath);
        (_hardware, _hardwarePath, _hardwareSource, _hardwareLoaded) = (null, yamlPath, yamlPath, null);
        return this;
    }

    /// <summary>The model and run, e.g. <c>ModelPresets.Llama2_7B.Training(globalBatch: 1024, sequenceLength: 4096)</c>. Required (this or <see cref="Model(string)"/>).</summary>
    /// <param name="model">The model description.</param>
    public LlmSimulationBuilder Model(ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        (_model, _modelPath, _modelSource, _modelLoaded) = (model, null, "<model>", null);
        return this;
    }

    /// <summary>A model already read from YAML (<see cref="ModelConfig.LoadYamlText"/>); its source name and positions are kept for messages.</summary>
    /// <param name="loaded">The loaded file.</param>
    public LlmSimulationBuilder Model(ConfigLoadResult<ModelConfig> loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        (_model, _modelPath, _modelSource, _modelLoaded) = (loaded.Value, null, loaded.Source, loaded);
        return this;
    }

    /// <summary>The model YAML file (either schema); it is read by <see cref="Build"/>.</summary>
    /// <param name="yamlPath">The file.</param>
    public LlmSimulationBuilder Model(string yamlPath)
    {
        ArgumentNullException.ThrowIfNull(yamlPath);
        (_model, _modelPath, _modelSource, _modelLoaded) = (null, yamlPath, yamlPath, null);
        return this;
    }

    /// <summary>
    /// Replaces the hardware's parallelism. The configuration starts from one device (every degree 1), so state every
    /// axis you want, e.g. <c>p =&gt; p.Tensor(8, sequenceParallel: true).Pipeline(4, microBatches: 8).Data(16)</c>.
    /// Not calling this keeps the hardware file's parallelism.
    /// </summary>
    /// <param name="configure">Sets the degrees.</param>
    public LlmSimulationBuilder Parallelism(Action<ParallelismBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _parallelism = new ParallelismBuilder();
        configure(_parallelism);
        return this;
    }

    /// <summary>Changes overlap fractions and links of the hardware's network dimensions; unset values keep the hardware's.</summary>
    /// <param name="configure">Sets the changes, e.g. <c>n =&gt; n.Dimension(0, d =&gt; d.Bandwidth(600e9))</c>.</param>
    public LlmSimulationBuilder Network(Action<NetworkBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _network ??= new NetworkBuilder();
        configure(_network);
        return this;
    }

    /// <summary>Changes software settings (ZeRO stage, recomputation, kernel overhead, gradient sync); unset values keep the hardware's.</summary>
    /// <param name="configure">Sets the changes.</param>
    public LlmSimulationBuilder Software(Action<SoftwareBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _software ??= new SoftwareBuilder();
        configure(_software);
        return this;
    }

    /// <summary>
    /// Changes the hardware's device for a what-if (memory bandwidth and capacity, compute units, clock), e.g.
    /// <c>d =&gt; d.MemoryBandwidth(2 * HardwarePresets.H100Sxm80GB.MemoryBandwidthBytesPerSecond)</c>; unset values keep the hardware's.
    /// </summary>
    /// <param name="configure">Sets the changes.</param>
    public LlmSimulationBuilder Device(Action<DeviceBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _device ??= new DeviceBuilder();
        configure(_device);
        return this;
    }

    /// <summary>
    /// Times graphs with the analytical model (<c>execution_backend.model: analytical</c>), replacing the hardware's
    /// choice and any backend registered before.
    /// </summary>
    public LlmSimulationBuilder UseAnalytical()
    {
        _backend = _ => ExecutionBackendConfig.Analytical;
        _backendFactory = null;
        return this;
    }

    /// <summary>
    /// Times every estimate's pipeline graphs with your own <paramref name="backend"/>, whatever the hardware's
    /// <c>execution_backend</c> says, replacing any backend registered before: each training step, prefill and sampled
    /// decode step is handed to it as a <see cref="StepGraph"/> with the analytical durations, and the step time it
    /// returns is the estimate's. The layer costs and the memory model stay the analytical model's; estimates name the
    /// backend by its <see cref="IStepBackend.Name"/>. <see cref="UseAnalytical"/> removes it.
    /// </summary>
    /// <param name="backend">The backend; it must be safe to call from several threads when estimates run at once.</param>
    /// <returns>This builder.</returns>
    /// <example>
    /// <code>
    /// sealed class SlowerCompute : IStepBackend
    /// {
    ///     public string Name =&gt; "slower-compute";
    ///     public StepSchedule Schedule(StepGraph graph, BackendContext context) =&gt;
    ///         graph.Simulate(v =&gt; v.IsCompute ? 2 * v.DurationSeconds : v.DurationSeconds);
    /// }
    ///
    /// var estimate = LlmSimulation.Create().Hardware(HardwarePresets.H100Sxm80GB).Model(model)
    ///     .UseBackend(new SlowerCompute()).Build().EstimateTraining();
    /// </code>
    /// </example>
    public LlmSimulationBuilder UseBackend(IStepBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return UseBackend(context => new StepBackendAdapter(backend, context));
    }

    /// <summary>
    /// Times every estimate's graphs with <paramref name="backend"/>, whatever the hardware's <c>execution_backend</c>
    /// says. Members it does not write keep the analytical behaviour (see <see cref="IExecutionBackend"/>).
    /// </summary>
    /// <param name="backend">The backend; it must be safe to call from several threads when estimates run at once.</param>
    internal LlmSimulationBuilder UseBackend(IExecutionBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return UseBackend(_ => backend);
    }

    /// <summary>
    /// Registers a factory that creates each built simulation's backend once, on its first estimate, from the
    /// simulation's hardware, analytical collectives and shared services (as Polly's strategies are created from a
    /// context). Backend packages call this from their extension methods (<c>UseAstraSim</c>). Simulations derived
    /// with <see cref="LlmSimulation.ToBuilder"/> or a search keep the factory.
    /// </summary>
    /// <param name="factory">Creates the backend.</param>
    internal LlmSimulationBuilder UseBackend(Func<BackendBuildContext, IExecutionBackend> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _backendFactory = factory;
        return this;
    }

    /// <summary>
    /// Replaces the hardware's <c>execution_backend</c> section (what a YAML file states there); a backend package's
    /// extension sets it beside registering its backend. Checked by <see cref="Build"/> with the other choices.
    /// </summary>
    /// <param name="settings">The section.</param>
    public LlmSimulationBuilder ExecutionBackend(ExecutionBackendConfig settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _backend = problems =>
        {
            if (settings.Astra is { } astra)
            {
                if (astra.BinaryPath is not null && string.IsNullOrWhiteSpace(astra.BinaryPath))
                    problems.Add(BuilderDiagnostics.Error("execution_backend.astra.binary", astra.BinaryPath, "must be a file path; leave it unset to find the binary at run time"));
                if (string.IsNullOrWhiteSpace(astra.Backend))
                    problems.Add(BuilderDiagnostics.Error("execution_backend.astra.backend", astra.Backend, "must name an AstraSim network backend, e.g. analytical"));
            }

            return settings.Astra is { BinaryPath: { } path } a && string.IsNullOrWhiteSpace(path) ? settings with { Astra = a with { BinaryPath = null } } : settings;
        };
        return this;
    }

    /// <summary>The shared services (output folder, clock, log) backends are created with; default <see cref="SimulationServices.Default"/>.</summary>
    /// <param name="services">The services.</param>
    public LlmSimulationBuilder Services(SimulationServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        return this;
    }

    /// <summary>The folder backends write their work and artifacts under (see <see cref="SimulationServices.OutputDirectory"/>).</summary>
    /// <param name="path">The folder; relative paths are resolved when the simulation is built.</param>
    public LlmSimulationBuilder OutputDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _services = _services with { OutputDirectory = path };
        return this;
    }

    /// <summary>How inference energy counts layers; default <see cref="EnergyAccounting.AllLayers"/> (<see cref="EnergyAccounting.ReferenceSingleLayer"/> reproduces the reference).</summary>
    /// <param name="accounting">The accounting.</param>
    public LlmSimulationBuilder Energy(EnergyAccounting accounting)
    {
        _energy = accounting;
        return this;
    }

    /// <summary>How micro-batches run with one pipeline stage; default <see cref="SingleStageMicroBatchPolicy.Chain"/>.</summary>
    /// <param name="policy">The policy.</param>
    internal LlmSimulationBuilder SingleStageMicroBatches(SingleStageMicroBatchPolicy policy)
    {
        _singleStage = policy;
        return this;
    }

    /// <summary>
    /// Prices the hardware with RapidLlm's calibrated model (<c>performance_model: calibrated</c>), replacing the
    /// hardware's own choice. The shipped A100, H100 and H200 presets already use it with their fitted values.
    /// </summary>
    /// <returns>This builder.</returns>
    public LlmSimulationBuilder UseCalibratedModel() => UseCalibratedModel(null);

    /// <summary>The calibrated model with the given parameters (<see cref="CalibrationConfig.Default"/>, the H100 fit, when null).</summary>
    internal LlmSimulationBuilder UseCalibratedModel(CalibrationConfig? calibration)
    {
        _performanceModel = PerformanceModelConfig.Calibrated(calibration ?? CalibrationConfig.Default);
        return this;
    }

    /// <summary>
    /// The serving engine inference runs under (the hardware file's <c>serving</c> block), replacing the hardware's own:
    /// per-iteration and per-request host work, CUDA graphs and static or continuous batching. Null prices the bare
    /// kernels. Only the calibrated model reads it (<see cref="UseCalibratedModel()"/> or a shipped preset).
    /// </summary>
    /// <param name="engine">The engine, for example <c>new ServingEngineConfig("vllm", 2e-3, 0, true, ServingBatching.Continuous)</c>.</param>
    /// <returns>This builder.</returns>
    public LlmSimulationBuilder Serving(ServingEngineConfig? engine)
    {
        _serving = (true, engine);
        return this;
    }

    /// <summary>Prices the hardware with the reference model (RAPID-LLM's numbers exactly), replacing the hardware's own choice.</summary>
    /// <returns>This builder.</returns>
    public LlmSimulationBuilder UseReferenceModel()
    {
        _performanceModel = PerformanceModelConfig.Reference;
        return this;
    }

    /// <summary>Validates every choice and returns the immutable simulation.</summary>
    /// <returns>The simulation.</returns>
    /// <exception cref="ConfigurationException">Every problem found (missing parts, bad values, files' errors and hardware/model incompatibilities), all at once.</exception>
    public LlmSimulation Build()
    {
        var problems = new List<ConfigDiagnostic>();
        var hardwareLoaded = _hardwareLoaded;
        if (_hardwarePath is not null) hardwareLoaded = Load(() => HardwareConfig.LoadYaml(_hardwarePath), problems);
        var hardware = hardwareLoaded?.Value ?? _hardware;
        if (hardware is null && _hardwarePath is null) problems.Add(BuilderDiagnostics.Error("hardware", null, "no hardware: call Hardware(HardwarePresets.…) or Hardware(\"file.yaml\")"));
        var modelLoaded = _modelLoaded;
        if (_modelPath is not null) modelLoaded = Load(() => ModelConfig.LoadYaml(_modelPath), problems);
        var model = modelLoaded?.Value ?? _model;
        if (model is null && _modelPath is null) problems.Add(BuilderDiagnostics.Error("model", null, "no model: call Model(ModelPresets.….Training(…)) or Model(\"file.yaml\")"));
        else if (model is not null && modelLoaded is null) Check(_modelSource, problems, c => SpecRules.CheckModel(model, c));

        var changed = _backend is not null || _software is not null || _network is not null || _parallelism is not null || _device is not null;
        if (hardware is not null)
        {
            hardware = ApplyChanges(hardware, problems);
            // A file was checked when it was read; hardware built or changed in code is held to the same rules here.
            if (hardwareLoaded is null || changed)
            {
                var checkedHardware = hardware;
                Check(_hardwarePath is null ? _hardwareSource : BuilderDiagnostics.Source, problems, c => SpecRules.CheckHardware(checkedHardware, c));
            }
        }

        if (hardware is null || model is null) throw new ConfigurationException(problems);

        ValidatedRun? run = null;
        try
        {
            if (!problems.Any(p => p.Severity == DiagnosticSeverity.Error && p.Source == _modelSource))
            {
                // Files read as they are keep their line and column in the messages, as the CLI reports them.
                run = hardwareLoaded is not null && modelLoaded is not null && !changed && _performanceModel is null
                    ? ConfigValidator.Validate(hardwareLoaded with { Value = hardware }, modelLoaded)
                    : ConfigValidator.Validate(hardware, model, _hardwareSource, _modelSource);
            }
        }
        catch (ConfigurationException e)
        {
            problems.AddRange(e.Problems);
        }

        if (run is null || problems.Any(p => p.Severity == DiagnosticSeverity.Error))
            throw new ConfigurationException(problems.OrderBy(p => p.Severity == DiagnosticSeverity.Error ? 0 : 1).ToList());
        var warnings = problems.Concat(run.Warnings);
        var services = _services.OutputDirectory is { } output ? _services with { OutputDirectory = Path.GetFullPath(output) } : _services;
        return new LlmSimulation(run.Hardware, run.Model, new EquatableArray<ConfigDiagnostic>(warnings), _energy, _singleStage, _hardwareSource, _modelSource,
            _sharedDevice, _backendFactory, services);
    }

    internal static LlmSimulationBuilder From(LlmSimulation simulation)
    {
        var builder = new LlmSimulationBuilder()
            .Hardware(simulation.Hardware).Model(simulation.Model).Energy(simulation.EnergyAccounting).SingleStageMicroBatches(simulation.SingleStagePolicy)
            .Services(simulation.Services);
        builder._backendFactory = simulation.BackendFactory;
        builder._sharedDevice = hardware => simulation.Device().For(hardware);
        return builder;
    }

    /// <summary>Simulations built from here take their cost models from <paramref name="devices"/> (a sweep's shared models per device).</summary>
    /// <param name="devices">Gives the models for a simulation's hardware.</param>
    /// <returns>This builder.</returns>
    internal LlmSimulationBuilder ShareDevices(Func<HardwareConfig, DeviceModels> devices)
    {
        _sharedDevice = devices;
        return this;
    }

    /// <summary>
    /// The hardware (with this builder's changes applied) and the model, loaded but not validated together: what a
    /// search varies the parallelism of.
    /// </summary>
    /// <returns>The parts, the hardware and model source names, energy and single-stage choices.</returns>
    /// <exception cref="ConfigurationException">A file or a change is invalid on its own.</exception>
    internal SimulationTemplate Template()
    {
        var problems = new List<ConfigDiagnostic>();
        var hardware = _hardware;
        if (_hardwarePath is not null) hardware = Load(() => HardwareConfig.FromYaml(_hardwarePath), problems);
        else if (hardware is null) problems.Add(BuilderDiagnostics.Error("hardware", null, "no hardware: call Hardware(HardwarePresets.…) or Hardware(\"file.yaml\")"));
        var model = _model;
        if (_modelPath is not null) model = Load(() => ModelConfig.FromYaml(_modelPath), problems);
        else if (model is null) problems.Add(BuilderDiagnostics.Error("model", null, "no model: call Model(ModelPresets.….Training(…)) or Model(\"file.yaml\")"));
        else if (_modelLoaded is null) Check(_modelSource, problems, c => SpecRules.CheckModel(model, c));
        if (hardware is not null) hardware = ApplyChanges(hardware, problems);
        if (hardware is null || model is null || problems.Any(p => p.Severity == DiagnosticSeverity.Error)) throw new ConfigurationException(problems);
        return new SimulationTemplate(hardware, model, _hardwareSource, _modelSource, _energy, _singleStage) { BackendFactory = _backendFactory, Services = _services };
    }

    /// <summary>A builder of one variation of a template: its parts with the given hardware, sharing a device's models.</summary>
    /// <param name="template">The template.</param>
    /// <param name="hardware">The varied hardware (parallelism, software).</param>
    /// <param name="model">The varied model (batch).</param>
    /// <param name="device">The shared device models; null builds the simulation's own.</param>
    /// <returns>The builder.</returns>
    internal static LlmSimulationBuilder Variation(SimulationTemplate template, HardwareConfig hardware, ModelConfig model, Func<HardwareConfig, DeviceModels>? device)
    {
        var builder = new LlmSimulationBuilder().Hardware(hardware).Model(model).Energy(template.Energy).SingleStageMicroBatches(template.SingleStage);
        builder._hardwareSource = template.HardwareSource;
        builder._modelSource = template.ModelSource;
        builder._sharedDevice = device;
        builder._backendFactory = template.BackendFactory;
        builder._services = template.Services;
        return builder;
    }

    private HardwareConfig ApplyChanges(HardwareConfig hardware, List<ConfigDiagnostic> problems)
    {
        if (_performanceModel is not null) hardware = hardware with { PerformanceModel = _performanceModel };
        if (_serving.Set) hardware = hardware with { Serving = _serving.Engine };
        if (hardware.Serving is { } engine)
        {
            if (!hardware.PerformanceModel.IsCalibrated)
                problems.Add(BuilderDiagnostics.Error("serving", engine.Engine, "is only read by the calibrated model; call UseCalibratedModel() or use a shipped preset"));
            problems.AddRange(engine.Problems().Select(p => BuilderDiagnostics.Error("serving", engine.Engine, p)));
        }

        if (_backend is not null) hardware = hardware with { ExecutionBackend = _backend(problems) };
        if (_device is not null) hardware = hardware with { Technology = _device.Apply(hardware.Technology, problems) };
        if (_software is not null) hardware = hardware with { Software = _software.Apply(hardware.Software, problems) };
        if (_network is not null) hardware = hardware with { Network = _network.Apply(hardware.Network, hardware.ExecutionBackend.Kind, problems) };
        if (_parallelism is not null)
        {
            var invalid = new List<(string Path, int Value)>();
            hardware = hardware with { Parallelism = _parallelism.ToConfig(invalid) };
            problems.AddRange(invalid.Select(i => BuilderDiagnostics.Error(i.Path, i.Value, "must be ≥ 1")));
        }

        // Dimension sizes are fixed when a file is parsed (from the training degrees); recompute them so a simulation
        // built in code equals the one loaded from the equivalent file.
        var resolved = NetworkResolution.Resolve(hardware, RunType.Training);
        return hardware with { Network = hardware.Network with { Dimensions = resolved.Dimensions } };
    }

    // Runs the rules YAML files are read with, skipping paths the builder already reported.
    private static void Check(string source, List<ConfigDiagnostic> problems, Action<SpecChecker> rules)
    {
        var bag = new DiagnosticBag(source);
        rules(new SpecChecker(bag, reported: problems.Where(p => p.Severity == DiagnosticSeverity.Error).Select(p => p.YamlPath)));
        problems.AddRange(bag.Items);
    }

    private static T? Load<T>(Func<T> load, List<ConfigDiagnostic> problems) where T : class
    {
        try
        {
            return load();
        }
        catch (ConfigurationException e)
        {
            problems.AddRange(e.Problems);
            return null;
        }
    }
}
