using RapidLlm.Common;
using RapidLlm.Configuration.Yaml;
using RapidLlm.Hardware;

namespace RapidLlm.Configuration;

/// <summary>Turns hardware YAML (either schema) into a <see cref="HardwareConfig"/>, reporting every problem at once.</summary>
internal static class HardwareConfigReader
{
    private static readonly Dictionary<string, Dataflow> Dataflows = new(StringComparer.Ordinal)
    {
        ["none"] = Dataflow.None,
        ["best"] = Dataflow.Best,
        ["wst"] = Dataflow.WeightStationary,
        ["ws"] = Dataflow.WeightStationary,
        ["ast"] = Dataflow.ActivationStationary,
        ["as"] = Dataflow.ActivationStationary,
        ["ost"] = Dataflow.OutputStationary,
        ["os"] = Dataflow.OutputStationary,
    };

    private static readonly Dictionary<string, DpMicrobatchSync> DpSync = new(StringComparer.Ordinal)
    {
        ["every_mb"] = DpMicrobatchSync.EveryMicrobatch,
        ["last_mb"] = DpMicrobatchSync.LastMicrobatch,
    };

    private static readonly Dictionary<string, MemoryKind> MemoryKinds = new(StringComparer.Ordinal)
    {
        ["sram-r"] = MemoryKind.Register,
        ["sram-l1"] = MemoryKind.L1,
        ["sram-l2"] = MemoryKind.L2,
        ["dram"] = MemoryKind.Dram,
    };

    private static readonly Dictionary<string, MemoryScope> Scopes = new(StringComparer.Ordinal)
    {
        ["global"] = MemoryScope.Global,
        ["mcu-bundle"] = MemoryScope.McuBundle,
        ["mcu"] = MemoryScope.Mcu,
    };

    private static readonly string[] DramNoEffectKeys =
    [
        "static_power_per_bit", "area_per_bit", "stack_capacity", "area_per_stack", "mem_ctrl_area", "nominal_voltage",
        "threshold_voltage", "margin_voltage", "max_voltage", "num_links_per_mm", "num_links_per_stack", "num_stacks",
        "operating_frequency", "nominal_frequency",
    ];

    private static readonly string[] SramNoEffectKeys = ["static_power_per_bit", "area_per_bit", "bank_capacity", "controller_area_per_link", "overhead"];

    public static ConfigLoadResult<HardwareConfig> Read(string yaml, string source)
    {
        var diagnostics = new DiagnosticBag(source);
        var rootNode = YamlTreeBuilder.Build(yaml, diagnostics);
        if (rootNode is not YamlMapping rootMapping)
        {
            if (!diagnostics.HasErrors)
                diagnostics.Error("", rootNode?.Line ?? 1, rootNode?.Column ?? 1, rootNode?.Display, (rootNode is null ? "the file holds no settings; " : "") + "a hardware file must be a mapping with sw_param, tech_param, memory_hierarchy, parallelism and network");
            diagnostics.ThrowIfErrors();
            throw new InvalidOperationException("unreachable");
        }

        var root = new MappingReader(rootMapping, "", diagnostics);
        var software = ReadSoftware(root.Mapping("sw_param", required: true), out var seedPrecision);
        var technology = ReadTechnology(root.Mapping("tech_param", required: true));
        var hierarchy = ReadHierarchy(root, root.Mapping("memory_hierarchy", required: true));
        var parallelism = ReadParallelism(root, out var seedParallelism);
        var backend = ReadBackend(root.Mapping("execution_backend", required: false));
        var network = NetworkConfigReader.Read(root, parallelism, seedParallelism, backend);
        var kvCacheType = root.Mapping("inference", required: false) is { } inference ? ReadInference(inference) : "hbm_only";
        var performance = PerformanceModelReader.Read(root);
        var serving = ServingEngineReader.Read(root, performance);
        root.Finish(noEffect: ["power_breakdown", "area_breakdown", "perimeter_breakdown"]);

        // The rules code-built hardware is held to as well; what the reading above reported is not reported twice.
        var positions = SourcePositions.From(rootMapping);
        SpecRules.CheckHardware(software, technology, hierarchy, parallelism, network, backend, new SpecChecker(diagnostics, positions, diagnostics.ErrorPaths));
        var warnings = diagnostics.ThrowIfErrors();
        var config = new HardwareConfig(software!, technology!, hierarchy, parallelism, network!, backend, kvCacheType)
        {
            PerformanceModel = performance,
            Serving = serving,
        };
        return new ConfigLoadResult<HardwareConfig>(config, source, seedPrecision || seedParallelism ? SchemaVersion.Legacy : SchemaVersion.Current, warnings)
        {
            Positions = positions,
        };
    }

    private static SoftwareConfig? ReadSoftware(MappingReader? sw, out bool seedPrecision)
    {
        seedPrecision = false;
        if (sw is null) return null;
        var precisionBlock = sw.Mapping("precision", required: true);
        PrecisionConfig? precision = null;
        if (precisionBlock is not null)
        {
            seedPrecision = PrecisionReader.IsSeedStyle(precisionBlock);
            precision = PrecisionReader.Read(precisionBlock);
        }
        var overhead = sw.RequiredDouble("kernel_launch_overhead", min: 0, what: "seconds per kernel launch");
        var h2d = sw.Double("h2d_bandwidth", -1);
        var zero = sw.Int("dp_zero_stage", 0, min: 0);
        if (zero > 3) sw.Error("dp_zero_stage", sw.Get("dp_zero_stage"), "must be 0, 1, 2 or 3 (ZeRO stage)");
        var recompute = sw.Bool("full_recomputation", false);
        var sync = sw.Choice("dp_microbatch", DpSync, required: false) ?? DpMicrobatchSync.EveryMicrobatch;
        var constMem = sw.Double("const_mem_offset", 0, min: 0);
        var gradAcc = sw.Double("grad_acc_overhead", 0, min: 0);
        sw.Finish();
        return precision is null ? null
            : new SoftwareConfig(overhead, precision, h2d > 0 ? h2d : null, Math.Min(zero, 3), recompute, sync, constMem, gradAcc);
    }

    private static TechnologyConfig? ReadTechnology(MappingReader? tech)
    {
        if (tech is null) return null;
        var core = ReadCore(tech.Mapping("core", required: true));
        var dram = ReadMemory(tech.Mapping("DRAM", required: true), DramNoEffectKeys);
        var l2 = ReadMemory(tech.Mapping("SRAM-L2", required: true), SramNoEffectKeys);
        var l1 = ReadMemory(tech.Mapping("SRAM-L1", required: true), SramNoEffectKeys);
        var reg = ReadMemory(tech.Mapping("SRAM-R", required: true), SramNoEffectKeys);
        tech.Finish(ignored: ["network"]);
        return core is null || dram is null || l2 is null || l1 is null || reg is null ? null : new TechnologyConfig(core, dram, l2, l1, reg);
    }

    private static CoreTechConfig? ReadCore(MappingReader? c)
    {
        if (c is null) return null;
        var rate = c.RequiredDouble("nominal_flop_rate_per_mcu", min: 0, exclusiveMin: true, what: "FLOP per cycle per MCU");
        var energy = c.RequiredDouble("nominal_energy_per_flop", min: 0, what: "joules");
        var perBundle = c.RequiredInt("num_mcu_per_bundle");
        var d1 = c.RequiredInt("FMA_d1");
        var d2 = c.RequiredInt("FMA_d2");
        var dataflow = c.Choice("dataflow", Dataflows, required: true) ?? Dataflow.Best;
        var util = c.RequiredDouble("util", min: 0, exclusiveMin: true);
        var bundles = c.OptionalInt("num_bundles");
        if (bundles is null && !c.Has("num_bundles"))
            c.Missing("num_bundles", "the number of MCU bundles (SMs); deriving it from area budgets is not supported");
        var operatingHz = c.OptionalDouble("operating_frequency", min: 0, exclusiveMin: true);
        var nominalHz = c.OptionalDouble("nominal_frequency", min: 0, exclusiveMin: true);
        if (operatingHz is null)
            c.Missing("operating_frequency", nominalHz is null
                ? "the core clock in Hz"
                : "the core clock in Hz; deriving it from nominal_frequency by voltage scaling is not supported");
        var nominalArea = c.OptionalDouble("nominal_area_per_mcu", min: 0, exclusiveMin: true);
        var operatingArea = c.Double("operating_area_per_mcu", 0.1, min: 0, exclusiveMin: true);
        var power = c.Double("nominal_power_per_mcu", 0.1, min: 0);
        var vNominal = c.Double("nominal_voltage", 0.1, min: 0);
        var vThreshold = c.Double("threshold_voltage", 0.1, min: 0);
        var vMargin = c.Double("margin_voltage", 0.1, min: 0);
        c.Finish();
        return new CoreTechConfig(rate, energy, perBundle, d1, d2, dataflow, util, bundles, operatingHz, nominalHz, nominalArea,
            operatingArea, power, vNominal, vThreshold, vMargin);
    }

    private static MemoryTechConfig? ReadMemory(MappingReader? m, string[] noEffect)
    {
        if (m is null) return null;
        var size = m.RequiredDouble("size", min: 0, what: "capacity such as '80 GB'; deriving it from area budgets is not supported");
        var bandwidth = m.RequiredDouble("bandwidth", min: 0, what: "bytes per second such as '1986 GB'");
        var energy = m.RequiredDouble("dynamic_energy_per_bit", min: 0, what: "joules per bit");
        var latency = m.RequiredDouble("latency", min: 0, what: "seconds");
        var util = m.RequiredDouble("util", min: 0, exclusiveMin: true);
        m.Finish(noEffect: noEffect);
        return new MemoryTechConfig(size, bandwidth, energy, latency, util);
    }

    private static EquatableArray<MemoryLevelConfig> ReadHierarchy(MappingReader root, MappingReader? h)
    {
        if (h is null) return EquatableArray<MemoryLevelConfig>.Empty;
        var levels = new List<MemoryLevelConfig>();
        var count = h.Keys.Count();
        for (var i = 0; i < count; i++)
        {
            var key = "l" + i;
            var level = h.Mapping(key, required: true);
            if (level is null) continue;
            var kind = level.Choice("type", MemoryKinds, required: true, "'SRAM-R', 'SRAM-L1', 'SRAM-L2', 'DRAM'");
            var scope = level.Choice("scope", Scopes, required: true);
            level.Finish();
            if (kind is { } k && scope is { } s) levels.Add(new MemoryLevelConfig(k, s));
        }
        h.Finish();
        MemoryKind[] expected = [MemoryKind.Register, MemoryKind.L1, MemoryKind.L2, MemoryKind.Dram];
        if (!h.Diagnostics.HasErrors && !levels.Select(l => l.Kind).SequenceEqual(expected))
            root.Error("memory_hierarchy", h.Node, "the GEMM model needs exactly four levels l0..l3 of types SRAM-R, SRAM-L1, SRAM-L2, DRAM in that order");
        return new EquatableArray<MemoryLevelConfig>(levels);
    }

    private static ParallelismConfig ReadParallelism(MappingReader root, out bool seed)
    {
        var p = root.Mapping("parallelism", required: false);
        seed = false;
        var defaults = ParallelismConfig.SingleDevice;
        if (p is null)
        {
            root.Missing("parallelism", "the newest schema needs parallelism.train and parallelism.inference");
            return defaults;
        }
        var keys = p.Keys.ToHashSet(StringComparer.Ordinal);
        var seedKeys = keys.Intersect(["lp", "dp"]).ToList();
        var headKeys = keys.Intersect(["pp", "train", "inference"]).ToList();
        seed = seedKeys.Count > 0 && headKeys.Count == 0;
        if (seedKeys.Count > 0 && headKeys.Count > 0)
            p.Error(seedKeys[0], p.Get(seedKeys[0]),
                $"mixes the seed schema ({string.Join(", ", seedKeys)}) with the newest one ({string.Join(", ", headKeys)}); use pp and parallelism.train.dp / parallelism.inference.replica_count");

        var tp = p.Int("tp", 1);
        var tpSp = p.Bool("tp_sp", false);
        var cp = p.Int("cp", 1);
        var mb = p.Int("mb", 1);
        p.Bool("auto", false);
        var schedule = ReadSchedule(p);
        if (seed)
        {
            var dp = p.Int("dp", 1);
            var lp = p.Int("lp", 1);
            p.Finish();
            // The seed has one dp: it is the data-parallel degree for training and the replica count for inference.
            return new ParallelismConfig(tp, tpSp, cp, lp, mb, new TrainParallelismConfig(dp, 1, true), new InferenceParallelismConfig(dp, 1)) { Schedule = schedule };
        }
        var pp = p.Int("pp", 1);
        var train = p.Mapping("train", required: true);
        TrainParallelismConfig trainConfig = defaults.Train;
        if (train is not null)
        {
            trainConfig = new TrainParallelismConfig(train.RequiredInt("dp"), train.RequiredInt("ep"), train.Require("tp_ep") is null || train.RequiredBool("tp_ep"));
            train.Finish();
        }
        var inference = p.Mapping("inference", required: true);
        InferenceParallelismConfig inferenceConfig = defaults.Inference;
        if (inference is not null)
        {
            inferenceConfig = new InferenceParallelismConfig(inference.RequiredInt("replica_count"), inference.RequiredInt("moe_dp"));
            inference.Finish();
        }
        if (!seed && seedKeys.Count == 0) p.Finish();
        return new ParallelismConfig(tp, tpSp, cp, pp, mb, trainConfig, inferenceConfig) { Schedule = schedule };
    }

    private static readonly Dictionary<string, PipelineScheduleKind> ScheduleKinds = PipelineSchedule.YamlNames
        .Select((name, i) => (name, kind: (PipelineScheduleKind)i)).ToDictionary(x => x.name, x => x.kind, StringComparer.Ordinal);

    // Our keys (absent from the reference's files, which then run GPipe): the schedule and its model chunks per stage.
    private static PipelineSchedule ReadSchedule(MappingReader p)
    {
        var parsed = p.Choice("pipeline_schedule", ScheduleKinds, required: false);
        var chunksNode = p.Get("virtual_stages");
        var chunks = p.Int("virtual_stages", 1, min: null);
        // A schedule name already reported as wrong makes no statement about virtual_stages.
        if (parsed is null && p.Get("pipeline_schedule") is not null) return PipelineSchedule.GPipe;
        var kind = parsed ?? PipelineScheduleKind.GPipe;
        if (kind != PipelineScheduleKind.Interleaved1F1B)
        {
            if (chunksNode is not null && chunks != 1)
                p.Error("virtual_stages", chunksNode, $"applies only to pipeline_schedule: interleaved_1f1b (the schedule here is {PipelineSchedule.YamlNames[(int)kind]}); remove it or switch the schedule");
            return new PipelineSchedule(kind);
        }
        if (chunksNode is null)
            p.Missing("virtual_stages", "model chunks per pipeline stage, at least 2, with pipeline_schedule: interleaved_1f1b");
        else if (chunks < 2)
            p.Error("virtual_stages", chunksNode, "must be >= 2 with pipeline_schedule: interleaved_1f1b (1f1b is the schedule with one chunk per stage)");
        return PipelineSchedule.Interleaved(Math.Max(2, chunks));
    }

    private static readonly Dictionary<string, ExecutionBackendKind> BackendKinds = new(StringComparer.Ordinal)
    {
        ["analytical"] = ExecutionBackendKind.Analytical,
        ["astra"] = ExecutionBackendKind.AstraSim,
    };

    private static readonly Dictionary<string, AstraSimMode> AstraModes = new(StringComparer.Ordinal)
    {
        ["hybrid"] = AstraSimMode.Hybrid,
        ["full_astrasim_hierarchical"] = AstraSimMode.FullHierarchical,
        ["full_astrasim_flattened"] = AstraSimMode.FullFlattened,
    };

    private static readonly string[] CollectiveAlgorithms = ["auto", "ring", "direct", "halvingdoubling", "doublebinarytree", "mesh", "mesh2d", "hypercube", "torus2d"];

    private static readonly string[] ArbitrationPolicies = ["off", "last_resort", "best_effort", "strict", "on", "true", "false", "0", "1"];

    private static ExecutionBackendConfig ReadBackend(MappingReader? b)
    {
        if (b is null) return ExecutionBackendConfig.Analytical;
        var kind = b.Choice("model", BackendKinds, required: false) ?? ExecutionBackendKind.Analytical;
        if (kind == ExecutionBackendKind.Analytical)
        {
            b.Get("astra"); // read only by the AstraSim backend, as in the reference
            b.Finish();
            return ExecutionBackendConfig.Analytical;
        }
        var a = b.Mapping("astra", required: false);
        b.Finish();
        if (a is null) return new ExecutionBackendConfig(kind, new AstraSimConfig("analytical", AstraSimMode.Hybrid, AstraCollectivesConfig.Auto, null, null));
        var backendName = a.String("backend") ?? "analytical";
        var mode = a.Choice("mode", AstraModes, required: false) ?? AstraSimMode.Hybrid;
        var collectives = AstraCollectivesConfig.Auto;
        if (a.Mapping("collectives", required: false) is { } c)
        {
            collectives = new AstraCollectivesConfig(Algorithm(c, "all_gather"), Algorithm(c, "all_reduce"), Algorithm(c, "reduce_scatter"), Algorithm(c, "all_to_all"));
            c.Finish();
        }
        AstraSysOptions? sys = null;
        if (a.Mapping("sys_options", required: false) is { } s)
        {
            var arbitration = s.String("collective_arbitration")?.Trim().ToLowerInvariant();
            if (arbitration is not null && !ArbitrationPolicies.Contains(arbitration))
                s.Error("collective_arbitration", s.Get("collective_arbitration"), "must be one of " + string.Join(", ", ArbitrationPolicies));
            sys = new AstraSysOptions(s.OptionalInt("endpoint_delay", 0), s.OptionalInt("active_chunks_per_dimension"), s.OptionalInt("preferred_dataset_splits"), arbitration);
            s.Finish();
        }
        // The command-line contract names the key `binary`; `binary_path` is accepted as a synonym.
        var binary = a.String("binary") ?? a.String("binary_path");
        a.Finish();
        return new ExecutionBackendConfig(kind, new AstraSimConfig(backendName, mode, collectives, sys, binary));
    }

    /// <summary>Reads one collective-algorithm name (default <c>auto</c>).</summary>
    internal static string Algorithm(MappingReader m, string key)
    {
        var text = m.String(key);
        if (text is null) return "auto";
        if (!CollectiveAlgorithms.Contains(text.Trim().ToLowerInvariant()))
            m.Error(key, m.Get(key), "must be one of auto, ring, direct, halvingDoubling, doubleBinaryTree, mesh, mesh2d, hypercube, torus2d");
        return text;
    }

    private static string ReadInference(MappingReader inference)
    {
        var kind = inference.String("kvcache_type") ?? "hbm_only";
        inference.Finish();
        return kind;
    }
}
