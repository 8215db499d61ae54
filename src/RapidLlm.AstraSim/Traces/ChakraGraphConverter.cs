using RapidLlm.AstraSim.Chakra;
using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Traces;

/// <summary>
/// Converts an execution graph into per-rank Chakra traces, following the reference's converter: each distinct
/// hardware id is a stage, each (stage, data-parallel replica) pair a rank (dp-major); compute vertices become compute
/// nodes, collectives become collective nodes on their communicator group, and dependencies that cross stages become
/// send/receive pairs (real size for pipeline transfers, 1 byte for pure ordering). Unlike the reference's newest
/// commit, a send and its receive always carry the same tag, and the result is checked so every receive has its send.
/// </summary>
internal sealed partial class ChakraGraphConverter
{
    private const int FirstTensorGroupId = 1000;

    private readonly ExecutionGraph _graph;
    private readonly int _dataParallel;
    private readonly AstraRankLayout _layout;
    private readonly List<GraphVertex> _objects;
    private readonly List<int> _stageIds;
    private readonly Dictionary<int, int> _stageIndex = [];
    private readonly Dictionary<int, List<int>> _stageRanks = [];
    private readonly Dictionary<GraphVertex, int> _collectiveStage = [];
    private readonly Dictionary<GraphVertex, Dependencies> _info = [];
    private readonly Dictionary<(GraphVertex Source, GraphVertex Target), GraphVertex?> _pipelineEdges = [];
    private readonly List<Node>[] _nodes;
    private readonly Dictionary<(GraphVertex, int Rank), ulong> _etIds = [];
    private readonly Dictionary<(GraphVertex, int, int, GraphVertex?), (ulong Id, int Tag)> _sends = [];
    private readonly Dictionary<(GraphVertex, int, int, GraphVertex?), ulong> _receives = [];
    private readonly Dictionary<GraphVertex, string> _labels = [];
    private readonly Dictionary<(string Label, int Dp), string> _labelGroups = [];
    private readonly SortedDictionary<int, IReadOnlyList<int>> _tensorGroups = [];
    private int _nextTag;

    private ChakraGraphConverter(ExecutionGraph graph, int dataParallel, AstraRankLayout layout)
    {
        _graph = graph;
        _dataParallel = Math.Max(1, dataParallel);
        _layout = layout;
        _objects = CollectReachable(graph);
        var compute = _objects.OfType<ComputeVertex>().Where(c => c.HardwareId >= 0).ToList();
        if (compute.Count == 0)
        {
            throw new InvalidOperationException("The graph has no compute vertex with a hardware id, so there is nothing for AstraSim to run.");
        }

        _stageIds = [.. compute.Select(c => c.HardwareId).Distinct().Order()];
        for (var i = 0; i < _stageIds.Count; i++)
        {
            _stageIndex[_stageIds[i]] = i;
            _stageRanks[_stageIds[i]] = [.. Enumerable.Range(0, _dataParallel).Select(dp => dp * _stageIds.Count + i)];
        }

        _nodes = [.. Enumerable.Range(0, _stageIds.Count * _dataParallel).Select(_ => new List<Node>())];
        // Tags of ordering pairs come after every op id, so they never collide with a transfer's tag.
        _nextTag = Math.Max(1, _objects.Max(o => o.OpId) + 1);
    }

    /// <summary>Converts <paramref name="graph"/> for <paramref name="dataParallel"/> replicas.</summary>
    /// <param name="graph">A pipeline, transformer or flattened graph.</param>
    /// <param name="dataParallel">Replicas to simulate (1 for graphs without data-parallel collectives).</param>
    /// <param name="layout">Decomposition of hardware ids into axes, for tp/cp/ep communicator groups.</param>
    public static ChakraWorkload Convert(ExecutionGraph graph, int dataParallel, AstraRankLayout layout)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(layout);
        return new ChakraGraphConverter(graph, dataParallel, layout).Run();
    }

    private ChakraWorkload Run()
    {
        AssignCollectiveStages();
        foreach (var vertex in _objects)
        {
            if (Hw(vertex) is not null)
            {
                _info[vertex] = Analyze(vertex, collectiveWalk: false);
            }
        }

        foreach (var vertex in _collectiveStage.Keys)
        {
            _info[vertex] = Analyze(vertex, collectiveWalk: true);
        }

        AssignLabels();
        var order = StageOrder();
        EmitNodes(order);
        WirePipelineDependencies(order);
        var traces = _nodes.Select(nodes => new ChakraTrace(
            new GlobalMetadata { Version = ChakraTrace.SchemaVersion }, ControlFirst(nodes))).ToList();
        ChakraPairing.EnsurePaired(traces);
        return new ChakraWorkload(traces, CommGroups(), _stageIds.Count, _dataParallel);
    }

    private static List<GraphVertex> CollectReachable(ExecutionGraph graph)
    {
        var roots = graph.Root is { } root ? [root] : graph.Vertices.Where(v => graph.ParentCount(v) == 0).ToList();
        var seen = new HashSet<GraphVertex>();
        var ordered = new List<GraphVertex>();
        var stack = new Stack<GraphVertex>();
        foreach (var start in Enumerable.Reverse(roots))
        {
            stack.Push(start);
        }

        while (stack.Count > 0)
        {
            var vertex = stack.Pop();
            if (!seen.Add(vertex))
            {
                continue;
            }

            ordered.Add(vertex);
            foreach (var child in graph.Children(vertex).Reverse())
            {
                if (!seen.Contains(child))
                {
                    stack.Push(child);
                }
            }
        }

        return ordered;
    }

    private static int? Hw(GraphVertex vertex) => vertex is ComputeVertex { HardwareId: >= 0 } c ? c.HardwareId : null;

    private static int? LocalHw(GraphVertex vertex) => vertex is CommunicationVertex { LocalHardwareId: >= 0 } c ? c.LocalHardwareId : null;

    private static int? StageOf(GraphVertex vertex) => Hw(vertex) ?? LocalHw(vertex);

    private static bool IsTransfer(GraphVertex vertex) => vertex is CommunicationVertex { Kind: CollectiveKind.PointToPoint };

    private static bool IsCollective(GraphVertex vertex) => vertex is CommunicationVertex { Kind: not CollectiveKind.PointToPoint };

    private int RankFor(int stage, int dp) => _stageRanks[stage][dp];

    private void AssignCollectiveStages()
    {
        foreach (var vertex in _objects.Where(IsCollective))
        {
            var stage = LocalHw(vertex)
                ?? _graph.Parents(vertex).Select(Hw).FirstOrDefault(h => h is not null)
                ?? _graph.Children(vertex).Select(Hw).FirstOrDefault(h => h is not null)
                ?? throw new InvalidOperationException($"Collective '{vertex.Name}' is attached to no compute vertex, so its rank is unknown.");
            _collectiveStage[vertex] = stage;
            if (!_stageRanks.ContainsKey(stage))
            {
                throw new InvalidOperationException($"Collective '{vertex.Name}' runs on hardware id {stage}, which has no compute vertex.");
            }
        }
    }
}
