using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Tests.Graphs.Flattening;

/// <summary>Builds the flattened memory graph of a golden graph case (G01..G05) from its tables.</summary>
internal static class FlattenedGoldenCase
{
    /// <summary>Every golden case declares network dimensions [tp, cp, ep] and [pp, dp].</summary>
    public static readonly ParallelismAxis[] GoldenAxes =
        [ParallelismAxis.Tp, ParallelismAxis.Cp, ParallelismAxis.Ep, ParallelismAxis.Pp, ParallelismAxis.Dp];

    public static ParallelismMode Mode(string text) => text switch
    {
        "tensor" => ParallelismMode.Tensor,
        "tensor_sequence" => ParallelismMode.TensorSequence,
        "context" => ParallelismMode.Context,
        "tensor_context_hybrid" => ParallelismMode.TensorContextHybrid,
        _ => ParallelismMode.Single,
    };

    public static FlatteningInput Input(JsonElement result)
    {
        var summary = result.GetProperty("tc_summary");
        var tables = result.GetProperty("transformer_graph_tables");
        var meta = tables.GetProperty("comm_metadata");
        double Bytes(JsonElement dir) =>
            dir.GetProperty("comm_keys").EnumerateArray().Select(k => meta.GetProperty(k.GetString()!).GetProperty("size").GetDouble()).Sum();

        var ops = tables.GetProperty("ops").EnumerateArray().Select(op => new TransformerOpTiming(
            op.GetProperty("name").GetString()!,
            op.GetProperty("forward").GetProperty("duration").GetDouble(),
            op.GetProperty("backward").GetProperty("duration").GetDouble(),
            Bytes(op.GetProperty("forward")),
            Bytes(op.GetProperty("backward")))).ToArray();
        int I(string name) => summary.GetProperty(name).GetInt32();
        return new FlatteningInput
        {
            Transformer = new TransformerGraphInput
            {
                Ops = new EquatableArray<TransformerOpTiming>(ops),
                Mode = Mode(summary.GetProperty("parallelism_mode").GetString()!),
                TensorParallel = I("tp"),
                ContextParallel = I("cp"),
                DataParallel = I("dp"),
                PipelineStages = I("pp"),
            },
            ExpertParallel = I("ep"),
            ZeroStage = I("zero_stage"),
            Layout = RankLayout.FromNamedAxes(GoldenAxes, I("tp"), I("cp"), I("ep"), I("pp"), I("dp")),
        };
    }

    /// <summary>The timed pipeline graph of the case, flattened.</summary>
    public static (ExecutionGraph Graph, GoldenGraph Golden, List<GraphVertex> Order, JsonElement Result) Build(string caseName)
    {
        var loaded = PipelineGoldenParityTests.Load(caseName);
        var durations = CommunicationTimingPass.Time(loaded.Graph, PipelineGoldenParityTests.CollectiveModel(loaded.Result));
        var flat = PipelineGraphFlattener.Flatten(loaded.Graph, durations, Input(loaded.Result));
        var golden = GoldenGraph.Load(caseName, "flattened_memory.json");
        var order = GoldenGraphComparer.BreadthFirst(flat, [flat.Root!]);
        return (flat, golden, order, loaded.Result);
    }
}
