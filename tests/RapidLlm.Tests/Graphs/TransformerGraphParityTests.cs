using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Operations;

namespace RapidLlm.Tests.Graphs;

/// <summary>Per-rank transformer graphs against the reference dumps (overlap factors are 0 in every case).</summary>
public class TransformerGraphParityTests
{
    private static TransformerGraphInput Input(string caseName)
    {
        var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenGraph.DataDirectory, caseName, "result.json"))).RootElement;
        var summary = result.GetProperty("tc_summary");
        var tables = result.GetProperty("transformer_graph_tables");
        var meta = tables.GetProperty("comm_metadata");
        double Bytes(JsonElement dir)
        {
            var keys = dir.GetProperty("comm_keys").EnumerateArray().Select(k => k.GetString()!).ToArray();
            return keys.Sum(k => meta.GetProperty(k).GetProperty("size").GetDouble());
        }

        var ops = tables.GetProperty("ops").EnumerateArray().Select(op => new TransformerOpTiming(
            op.GetProperty("name").GetString()!,
            op.GetProperty("forward").GetProperty("duration").GetDouble(),
            op.GetProperty("backward").GetProperty("duration").GetDouble(),
            Bytes(op.GetProperty("forward")),
            Bytes(op.GetProperty("backward")))).ToArray();
        var mode = summary.GetProperty("parallelism_mode").GetString() switch
        {
            "tensor" => ParallelismMode.Tensor,
            "tensor_sequence" => ParallelismMode.TensorSequence,
            "context" => ParallelismMode.Context,
            "tensor_context_hybrid" => ParallelismMode.TensorContextHybrid,
            _ => ParallelismMode.Single,
        };
        return new TransformerGraphInput
        {
            Ops = new EquatableArray<TransformerOpTiming>(ops),
            Mode = mode,
            TensorParallel = summary.GetProperty("tp").GetInt32(),
            ContextParallel = summary.GetProperty("cp").GetInt32(),
            DataParallel = summary.GetProperty("dp").GetInt32(),
            PipelineStages = summary.GetProperty("pp").GetInt32(),
        };
    }

    [TestCaseSource(typeof(PipelineGoldenParityTests), nameof(PipelineGoldenParityTests.Cases))]
    public void ForwardGraphMatchesReference(string caseName) => Compare(caseName, PassDirection.Forward, "transformer_fwd.json");

    [TestCaseSource(typeof(PipelineGoldenParityTests), nameof(PipelineGoldenParityTests.Cases))]
    public void BackwardGraphMatchesReference(string caseName) => Compare(caseName, PassDirection.Backward, "transformer_bwd.json");

    private static void Compare(string caseName, PassDirection direction, string file)
    {
        var graph = TransformerGraphBuilder.Build(Input(caseName), direction);
        var golden = GoldenGraph.Load(caseName, file);
        var order = GoldenGraphComparer.BreadthFirst(graph, [graph.Root!]);
        var diffs = GoldenGraphComparer.StructureDifferences(graph, order, golden, checkDurations: true);
        Assert.That(diffs, Is.Empty, string.Join("\n", diffs));
    }

    [Test]
    public void SingleModeSendsNothingEvenWithBytes()
    {
        var input = new TransformerGraphInput
        {
            Ops = new EquatableArray<TransformerOpTiming>([new TransformerOpTiming("qkv_proj", 1, 2, 100, 0)]),
            Mode = ParallelismMode.Single,
            TensorParallel = 2,
        };
        var graph = TransformerGraphBuilder.Build(input, PassDirection.Forward);
        Assert.That(graph.Vertices.OfType<CommunicationVertex>(), Is.Empty);
    }
}
