using System.Globalization;
using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Tests.Operations;

/// <summary>One golden case folder (copied from the reference run into tests/…/data/golden).</summary>
internal sealed class GoldenCase
{
    private GoldenCase(string name, JsonElement result, JsonElement primitives)
    {
        Name = name;
        Result = result;
        Primitives = primitives;
        Summary = result.GetProperty("tc_summary");
        Inputs = primitives.GetProperty("extra").GetProperty("inputs");
    }

    public string Name { get; }
    public JsonElement Result { get; }
    public JsonElement Primitives { get; }
    public JsonElement Summary { get; }
    public JsonElement Inputs { get; }

    public static string DataDirectory(string kind) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "golden", kind);

    public static GoldenCase Load(string kind, string name)
    {
        var dir = Path.Combine(DataDirectory(kind), name);
        var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "result.json"))).RootElement;
        var primitives = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "primitives.json"))).RootElement;
        return new GoldenCase(name, result, primitives);
    }

    public static IEnumerable<string> Names(string kind) =>
        File.ReadLines(Path.Combine(DataDirectory(kind), "cases.csv")).Skip(1).Select(l => l.Split(',')[0]);

    public OperationCostModels Models()
    {
        var recorded = new RecordedPrimitives(Primitives);
        return new OperationCostModels(recorded, recorded, recorded,
            Inputs.GetProperty("num_levels").GetInt32(), Inputs.GetProperty("num_bundles").GetInt64());
    }

    public TransformerWorkload Workload(long batch, long sequence, RunPhase phase)
    {
        var s = Summary;
        var p = s.GetProperty("precision");
        var precision = new PrecisionBytes(
            p.GetProperty("_props").GetProperty("activations").GetDouble(),
            p.GetProperty("kv_cache").GetDouble(),
            p.GetProperty("parameters").GetDouble(),
            p.GetProperty("gradients").GetDouble(),
            p.GetProperty("grad_communication").GetDouble(),
            p.GetProperty("optimizer_states").GetDouble(),
            p.GetProperty("stats").GetDouble(),
            p.GetProperty("master_parameters").GetDouble());
        Link L(string axis)
        {
            var l = s.GetProperty("links").GetProperty(axis);
            return new Link(l.GetProperty("bandwidth").GetDouble(), l.GetProperty("latency").GetDouble());
        }
        var family = s.GetProperty("model_type").GetString() == "llama" ? ModelFamily.Llama : ModelFamily.Gpt;
        var tile = s.GetProperty("attention_tile_size");
        var h2d = Inputs.GetProperty("h2d_bandwidth");
        return new TransformerWorkload
        {
            Model = new TransformerDims(
                s.GetProperty("hidden_dim").GetInt64(), s.GetProperty("num_heads").GetInt64(), s.GetProperty("kv_heads").GetInt64(),
                s.GetProperty("head_dim").GetInt64(), s.GetProperty("intermediate_size").GetInt64(), s.GetProperty("vocab_size").GetInt64(),
                family, Inputs.GetProperty("tied_embeddings").GetBoolean()),
            BatchSize = batch,
            SequenceLength = sequence,
            Phase = phase,
            ModelSequenceLength = Inputs.GetProperty("model_seq_len").GetInt64(),
            MicroBatchSize = Inputs.GetProperty("micro_batch").GetInt64(),
            Parallelism = new ParallelismDegrees(
                s.GetProperty("tp").GetInt32(), s.GetProperty("tp_sp").GetBoolean(), s.GetProperty("cp").GetInt32(),
                s.GetProperty("pp").GetInt32(), s.GetProperty("dp").GetInt32(), s.GetProperty("zero_stage").GetInt32()),
            Precision = precision,
            FlashAttention = s.GetProperty("flash_attention").GetBoolean(),
            AttentionTileSize = tile.ValueKind == JsonValueKind.Number ? tile.GetInt64() : null,
            FullRecomputation = s.GetProperty("full_recomputation").GetBoolean(),
            KernelOverheadSeconds = s.GetProperty("O").GetDouble(),
            H2dBandwidthBytesPerSecond = h2d.ValueKind == JsonValueKind.Number ? h2d.GetDouble() : 0,
            GradientAccumulationSteps = Inputs.GetProperty("gradient_accumulation_steps").GetInt32(),
            GradAccumOverheadSeconds = Inputs.GetProperty("grad_acc_overhead").GetDouble(),
            Links = new AxisLinks(L("tp"), L("cp"), L("pp"), L("dp")),
        };
    }

    /// <summary>The training/prefill workload exactly as the reference called <c>compute_all_gemm_and_node_times</c>.</summary>
    public TransformerWorkload LayerWorkload()
    {
        var args = Result.GetProperty("compute_all_gemm_and_node_times")[0].GetProperty("args");
        var phase = Result.GetProperty("run_type").GetString() == "inference" ? RunPhase.Prefill : RunPhase.Training;
        return Workload(args.GetProperty("batch_size").GetInt64(), args.GetProperty("seq_len").GetInt64(), phase);
    }

    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => double.Parse(e.GetString()!, CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Not a number: {e}"),
    };
}
