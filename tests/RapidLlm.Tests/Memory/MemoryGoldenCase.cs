using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Graphs.Overlap;
using RapidLlm.Memory;
using RapidLlm.Network;
using RapidLlm.Tests.Graphs.Flattening;

namespace RapidLlm.Tests.Memory;

/// <summary>Inputs of the golden memory cases M01..M16, rebuilt from their recorded run summary.</summary>
internal sealed class MemoryGoldenCase
{
    public static readonly string[] Cases =
    [
        "M01_single_norecompute", "M02_single_recompute", "M03_single_flash_norecompute", "M04_single_flash_recompute",
        "M05_dp2_zero0", "M06_dp2_zero1", "M07_dp2_zero2", "M08_dp4_zero3", "M09_tp2_sp", "M10_pp2_mb2", "M11_cp2_flash",
        "M12_tp2_cp2_pp2_mb2_recompute", "M13_inf_single", "M14_inf_tp2_gqa", "M15_inf_pp2_noflash", "M16_const_offset_tied_false",
    ];

    private MemoryGoldenCase(string name, JsonElement result)
    {
        Name = name;
        Result = result;
        Summary = result.GetProperty("tc_summary");
    }

    public string Name { get; }

    public JsonElement Result { get; }

    public JsonElement Summary { get; }

    public bool IsInference => Result.GetProperty("run_type").GetString() == "inference";

    public static MemoryGoldenCase Load(string name)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "golden", "memory", name, "result.json");
        return new MemoryGoldenCase(name, JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone());
    }

    private int I(string key) => Summary.GetProperty(key).GetInt32();

    private bool B(string key) => Summary.GetProperty(key).GetBoolean();

    public MemoryEstimatorInput Input()
    {
        var precision = Summary.GetProperty("precision");
        return new MemoryEstimatorInput
        {
            HiddenDim = I("hidden_dim"),
            IntermediateSize = I("intermediate_size"),
            Heads = I("num_heads"),
            KeyValueHeads = I("kv_heads"),
            HeadDim = I("head_dim"),
            VocabularySize = I("vocab_size"),
            GatedMlp = Summary.GetProperty("model_type").GetString() == "llama",
            // Only M16 unties the LM head and reserves a constant 1 GB per device (see the case's YAML).
            TiedEmbeddings = Name != "M16_const_offset_tied_false",
            ConstantOffsetBytes = Name == "M16_const_offset_tied_false" ? 1024.0 * 1024 * 1024 : 0,
            TensorParallel = I("tp"),
            TensorSequenceParallel = B("tp_sp"),
            ContextParallel = I("cp"),
            PipelineStages = I("pp"),
            DataParallel = I("dp"),
            ZeroStage = I("zero_stage"),
            FullRecompute = B("full_recomputation"),
            FlashAttention = B("flash_attention"),
            ActivationBytes = precision.GetProperty("_props").GetProperty("activations").GetDouble(),
            ParameterBytes = precision.GetProperty("parameters").GetDouble(),
            GradientBytes = precision.GetProperty("gradients").GetDouble(),
            OptimizerStateBytes = precision.GetProperty("optimizer_states").GetDouble(),
            MasterParameterBytes = precision.GetProperty("master_parameters").GetDouble(),
            KvCacheBytes = precision.GetProperty("kv_cache").GetDouble(),
            CapacityBytes = Result.GetProperty("capacity_gib").GetDouble() * 1024.0 * 1024 * 1024,
            Layout = RankLayout.FromNamedAxes(FlattenedGoldenCase.GoldenAxes, I("tp"), I("cp"), I("ep"), I("pp"), I("dp")),
        };
    }

    public IEnumerable<JsonElement> Simulations => Result.GetProperty("simulations").EnumerateArray();

    public static MemoryPhaseInput Phase(JsonElement simulation)
    {
        var kwargs = simulation.GetProperty("build_memory_data_kwargs");
        var batch = kwargs.GetProperty("batch_size").GetInt32();
        var seq = kwargs.GetProperty("seq_len").GetInt32();
        if (kwargs.GetProperty("mode").GetString() == "training")
        {
            return MemoryPhaseInput.Training(batch, seq);
        }

        var kv = kwargs.GetProperty("kv_cache_tokens").GetInt32();
        return seq == 1 ? MemoryPhaseInput.FinalDecode(batch, kv) : MemoryPhaseInput.Prefill(batch, seq);
    }

    /// <summary>
    /// A flattened graph of the case's shape. Durations are representative (the reference's per-op
    /// ratios of a 7B layer) rather than this case's: the memory peak depends on the order of events on
    /// each device, which the dependencies fix here, not on exact times.
    /// </summary>
    public ExecutionGraph FlattenedGraph(bool decode)
    {
        var pipeline = PipelineGraph(decode);
        return PipelineGraphFlattener.Flatten(pipeline, CommunicationTimingPass.Time(pipeline, new FixedRateTimer()), Flattening(decode));
    }

    /// <summary>The untimed pipeline graph of the case's shape (see <see cref="FlattenedGraph"/> for its durations).</summary>
    public ExecutionGraph PipelineGraph(bool decode)
    {
        var training = !IsInference;
        var tp = I("tp");
        var cp = I("cp");
        var dp = training ? I("dp") : 1;
        var zero = I("zero_stage");
        var scale = decode ? 1e-3 : 1.0;
        var ops = Ops(decode);
        var layerSeconds = ops.Sum(o => o.ForwardSeconds);
        var paramBytes = 4.0e8;
        CommunicationSpec Spec(CollectiveKind kind, ParallelismAxis axis, int participants, double bytes, bool shard = false) =>
            new(kind, bytes, participants, axis, shard);
        var dpRing = Spec(CollectiveKind.AllReduce, ParallelismAxis.Dp, dp, paramBytes);
        var comms = new PipelineCommunications
        {
            CrossLayer = Spec(CollectiveKind.PointToPoint, ParallelismAxis.Pp, 2, 1.6e7),
            TransformerDenseSync = dp > 1 ? dpRing : null,
            EmbeddingSync = dp > 1 ? dpRing : null,
            SoftmaxSync = dp > 1 ? dpRing : null,
            Zero2EmbeddingGather = dp > 1 && zero == 2 ? dpRing : null,
            Zero2TransformerGather = dp > 1 && zero == 2 ? dpRing : null,
            Zero2SoftmaxGather = dp > 1 && zero == 2 ? dpRing : null,
            Zero3EmbeddingGather = dp > 1 && zero >= 3 ? dpRing : null,
            Zero3TransformerGather = dp > 1 && zero >= 3 ? dpRing with { TpShard = true } : null,
            Zero3SoftmaxGather = dp > 1 && zero >= 3 ? dpRing : null,
        };
        var pipeline = PipelineGraphBuilder.Build(new PipelineGraphInput
        {
            LayerCount = I("num_layers"),
            PipelineStages = I("pp"),
            MicroBatches = I("mb"),
            DataParallel = dp,
            TensorParallel = tp,
            ContextParallel = cp,
            ZeroStage = zero,
            FullRecompute = training && B("full_recomputation"),
            DataParallelSync = Summary.GetProperty("dp_microbatch").GetString() == "last_mb" ? DataParallelSyncMode.LastMicroBatch : DataParallelSyncMode.EveryMicroBatch,
            IncludeBackward = training,
            IncludeOptimizer = training,
            Durations = new PipelineNodeDurations
            {
                EmbeddingForwardSeconds = 1.4e-4 * scale,
                EmbeddingBackwardSeconds = 2.8e-4 * scale,
                TransformerForwardSeconds = layerSeconds,
                TransformerBackwardSeconds = 2 * layerSeconds,
                LinearSoftmaxForwardSeconds = 1.1e-3 * scale,
                LinearSoftmaxBackwardSeconds = 2.2e-3 * scale,
                OptimizerSeconds = training ? 2e-3 : 0,
            },
            Communications = comms,
        });
        return pipeline;
    }

    /// <summary>How the case's pipeline graph is flattened.</summary>
    public FlatteningInput Flattening(bool decode, OverlapSettings? overlap = null)
    {
        var training = !IsInference;
        var tp = I("tp");
        var cp = I("cp");
        var dp = training ? I("dp") : 1;
        var mode = FlattenedGoldenCase.Mode(Summary.GetProperty("parallelism_mode").GetString()!);
        var ops = Ops(decode);
        return new FlatteningInput
        {
            Transformer = new TransformerGraphInput
            {
                Ops = new EquatableArray<TransformerOpTiming>(ops),
                Mode = mode,
                TensorParallel = tp,
                ContextParallel = cp,
                DataParallel = dp,
                PipelineStages = I("pp"),
            },
            ZeroStage = I("zero_stage"),
            Layout = Input().Layout,
            Overlap = overlap ?? new OverlapSettings(),
        };
    }

    private static TransformerOpTiming[] Ops(bool decode)
    {
        var scale = decode ? 1e-3 : 1.0;
        return
        [
            new TransformerOpTiming("layernorm1", 7.6e-5 * scale, 1.5e-4 * scale, 8e6, 8e6),
            new TransformerOpTiming("qkv_proj", 6.7e-4 * scale, 1.3e-3 * scale, 8e6, 8e6),
            new TransformerOpTiming("attention", 4.1e-4 * scale, 8.2e-4 * scale, 8e6, 8e6),
            new TransformerOpTiming("output_proj", 2.3e-4 * scale, 4.6e-4 * scale, 8e6, 8e6),
            new TransformerOpTiming("layernorm2", 7.6e-5 * scale, 1.5e-4 * scale, 8e6, 8e6),
            new TransformerOpTiming("MLP", 1.9e-3 * scale, 3.8e-3 * scale, 8e6, 8e6),
        ];
    }

    /// <summary>Times every transfer at 20 GB/s plus 5 µs.</summary>
    internal sealed class FixedRateTimer : ICommunicationTimer
    {
        public double CollectiveSeconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis axis) => 5e-6 + (sizeBytes / 2.0e10);
    }
}
