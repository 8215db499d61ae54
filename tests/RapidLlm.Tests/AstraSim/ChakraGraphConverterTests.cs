using RapidLlm.AstraSim.Chakra;
using RapidLlm.AstraSim.Traces;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Graphs;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Tests.AstraSim;

public sealed class ChakraGraphConverterTests
{
    private const string Hier = "full_astrasim_hierarchical";
    private const string TrainHead = "head_317a2cb_t_tp2_pp2_dp2";
    private static readonly string[] OpNames = ["layernorm1", "qkv_proj", "attention", "output_proj", "layernorm2", "MLP"];

    /// <summary>
    /// The t_tp2_pp2_dp2 transformer layer (tp = 2, sequence parallel) with the durations and collective sizes the
    /// reference wrote into its forward (call 05) and backward (call 06) traces.
    /// </summary>
    internal static TransformerGraphInput ReferenceLayer()
    {
        var forward = ChakraTraceFile.Read(Path.Combine(AstraArtifacts.Call(Hier, TrainHead, 5) + ".inputs", "llm_graph.0.et"));
        var backward = ChakraTraceFile.Read(Path.Combine(AstraArtifacts.Call(Hier, TrainHead, 6) + ".inputs", "llm_graph.0.et"));
        double Seconds(ChakraTrace t, string op, string dir) => t.Nodes.Single(n => n.Name.StartsWith($"{op}_{dir}_rank", StringComparison.Ordinal)).DurationMicros * 1e-6;
        double Bytes(ChakraTrace t, string op, string dir) => t.Nodes
            .Where(n => n.Type == NodeType.CommCollNode && n.Name.StartsWith($"{op}_{dir}_", StringComparison.Ordinal))
            .Sum(n => (double)ChakraNodes.IntegerAttribute(n, "comm_size")!.Value);
        var ops = OpNames.Select(op => new TransformerOpTiming(op, Seconds(forward, op, "fwd"), Seconds(backward, op, "bwd"),
            Bytes(forward, op, "forward"), Bytes(backward, op, "backward"))).ToArray();
        return new TransformerGraphInput
        {
            Ops = new EquatableArray<TransformerOpTiming>(ops),
            Mode = ParallelismMode.TensorSequence,
            TensorParallel = 2,
            DataParallel = 2,
            PipelineStages = 2,
        };
    }

    private static readonly AstraRankLayout TensorLayout = new(new EquatableArray<AxisSize>([new AxisSize(ParallelismAxis.Tp, 2)]));

    [TestCase(PassDirection.Forward, 5)]
    [TestCase(PassDirection.Backward, 6)]
    public void TransformerTracesEqualTheReferencesNodeByNode(object pass, int call)
    {
        var direction = (PassDirection)pass;
        var graph = TransformerGraphBuilder.Build(ReferenceLayer(), direction);
        var workload = ChakraGraphConverter.Convert(graph, 1, TensorLayout);

        var inputs = AstraArtifacts.Call(Hier, TrainHead, call) + ".inputs";
        Assert.That(workload.Traces, Has.Count.EqualTo(2));
        for (var rank = 0; rank < 2; rank++)
        {
            var expected = ChakraTraceFile.Read(Path.Combine(inputs, $"llm_graph.{rank}.et"));
            var actual = workload.Traces[rank];
            Assert.That(actual.Nodes.Select(n => n.ToString()), Is.EqualTo(expected.Nodes.Select(n => n.ToString())), $"rank {rank}");
            var stream = new MemoryStream();
            ChakraTraceFile.Write(stream, actual);
            Assert.That(stream.ToArray(), Is.EqualTo(File.ReadAllBytes(Path.Combine(inputs, $"llm_graph.{rank}.et"))), $"rank {rank} bytes");
        }

        Assert.That(ChakraWorkloadFiles.CommGroupsJson(workload), Is.EqualTo(File.ReadAllText(Path.Combine(inputs, "comm_groups.json"))));
        Assert.That(ChakraWorkloadFiles.ManifestJson(workload), Is.EqualTo(File.ReadAllText(Path.Combine(inputs, "manifest.json"))));
    }

    [Test]
    public void PairingCheckFindsTheReferencesDeadlockAndAcceptsTheSeedTraces()
    {
        IReadOnlyList<ChakraTrace> Load(string run, int call) =>
            [.. Enumerable.Range(0, 8).Select(r => ChakraTraceFile.Read(Path.Combine(AstraArtifacts.Call("full_astrasim_flattened", run, call) + ".inputs", $"llm_graph.{r}.et")))];

        Assert.That(ChakraPairing.Unpaired(Load("head_317a2cb_t_tp2_pp2_dp2_FAILS_deadlock", 5)), Is.Not.Empty);
        Assert.That(ChakraPairing.Unpaired(Load("seed_7ffb3e2_t_tp2_pp2_dp2", 4)), Is.Empty);
    }

    [Test]
    public void PipelineGraphWithReplicasBecomesPairedRankTracesWithDataParallelGroups()
    {
        var input = new PipelineGraphInput
        {
            LayerCount = 4,
            PipelineStages = 2,
            MicroBatches = 2,
            DataParallel = 2,
            TensorParallel = 1,
            FullRecompute = true,
            Durations = new PipelineNodeDurations
            {
                EmbeddingForwardSeconds = 1e-4, EmbeddingBackwardSeconds = 2e-4, TransformerForwardSeconds = 1e-3,
                TransformerBackwardSeconds = 2e-3, LinearSoftmaxForwardSeconds = 3e-4, LinearSoftmaxBackwardSeconds = 6e-4,
                OptimizerSeconds = 1e-4,
            },
            Communications = new PipelineCommunications
            {
                CrossLayer = new CommunicationSpec(CollectiveKind.PointToPoint, 8 << 20, 2, ParallelismAxis.Pp),
                TransformerDenseSync = new CommunicationSpec(CollectiveKind.AllReduce, 1 << 28, 2, ParallelismAxis.Dp),
                EmbeddingSync = new CommunicationSpec(CollectiveKind.AllReduce, 1 << 26, 2, ParallelismAxis.Dp),
                SoftmaxSync = new CommunicationSpec(CollectiveKind.AllReduce, 1 << 26, 2, ParallelismAxis.Dp),
            },
        };
        var graph = PipelineGraphBuilder.Build(input);
        var layout = new AstraRankLayout(new EquatableArray<AxisSize>([new AxisSize(ParallelismAxis.Pp, 2), new AxisSize(ParallelismAxis.Dp, 2)]));

        var workload = ChakraGraphConverter.Convert(graph, 2, layout);

        Assert.That(workload.Traces, Has.Count.EqualTo(4));
        Assert.That(ChakraPairing.Unpaired(workload.Traces), Is.Empty);
        Assert.That(workload.CommGroups["1"], Is.EqualTo(new[] { 0, 2 }));
        Assert.That(workload.CommGroups["2"], Is.EqualTo(new[] { 1, 3 }));
        var sends = workload.Traces[0].Nodes.Where(n => n.Type == NodeType.CommSendNode).ToList();
        Assert.That(sends.Where(n => n.Name.EndsWith("_send_dp0", StringComparison.Ordinal)).Select(n => ChakraNodes.IntegerAttribute(n, "comm_size")), Is.All.EqualTo(8L << 20));
        Assert.That(workload.Traces[0].Nodes.Where(n => n.Type == NodeType.CommCollNode).Select(n => ChakraNodes.StringAttribute(n, "pg_name")), Is.All.EqualTo("1"));
        foreach (var trace in workload.Traces)
        {
            Assert.That(trace.Nodes.Select((n, i) => (long)n.Id - i), Is.All.EqualTo(0));
            Assert.That(trace.Nodes.SelectMany(n => n.CtrlDeps), Is.All.LessThan((ulong)trace.Nodes.Count));
        }
    }
}
