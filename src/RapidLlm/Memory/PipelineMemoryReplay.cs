using System.Buffers;
using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;

namespace RapidLlm.Memory;

/// <summary>
/// The per-GPU memory of a training or forward pass, equal bit for bit to simulating the per-rank flattened graph
/// (<see cref="PipelineGraphFlattener"/> then <see cref="MemorySimulator"/>), without building it.
/// </summary>
/// <remarks>
/// <para>
/// The memory ledger of a GPU changes only when one of its own compute operations starts or finishes, and a GPU runs
/// one operation at a time, so its peak depends only on the order of its operations, not on their times. When every
/// stage's work in the timed pipeline graph is totally ordered by its edges (checked here for each graph; every
/// schedule builds it so), each rank of a stage runs exactly that order: the layers' chains of operations (forward in
/// operation order, backward reversed), its optimizer copy, and on rank 0 the LM head (and on device 0 the embedding),
/// as the flattener places them. Replaying those sequences through the same ledger gives the same sums in the same
/// order, hence the same peaks and breakdowns; the work is a pass over the pipeline graph plus one per-operation loop,
/// instead of a graph with (ranks per stage)² edges per layer and an event simulation over it.
/// </para>
/// <para>
/// ZeRO-3 over more than one rank per stage: the flattener's per-rank gather copies leave some of the chains' successors
/// without a start, so part of each rank's order never runs (nor books memory). <see cref="ShardedGatherLiveness"/>
/// finds which part from a two-rank skeleton of the flattener's walk, and the replay skips it.
/// </para>
/// <para>
/// Tensor-parallel overlap splits an operation into a head and a tail that both book its memory; the replay books it
/// twice where the rewrite splits. Returns null where the argument does not hold and the caller must flatten: a stage
/// whose work is not totally ordered, a rank layout of another size, or a compute vertex the flattener would place
/// elsewhere. The result carries no event times (<see cref="MemorySimulationResult.EndTimeSeconds"/> 0, no finish times).
/// </para>
/// </remarks>
internal static class PipelineMemoryReplay
{
    public static MemorySimulationResult? Simulate(ExecutionGraph pipeline, FlatteningInput input, MemoryData data)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(data);
        var root = pipeline.Root ?? throw new ArgumentException("The pipeline graph has no root.", nameof(pipeline));
        var placement = new Placement(input);
        if (input.Layout is { } layout && layout.RanksPerStage != placement.Ranks) return null;
        using var adjacency = new PipelineAdjacency(pipeline);
        var order = RunOrder(adjacency, root.Index);
        if (order is null) return null;
        // ZeRO-3 gathers split per rank change which operations run; without them every rank runs its whole order.
        var liveness = input.ZeroStage >= 3 && placement.Ranks > 1
            ? ShardedGatherLiveness.Of(adjacency, root, input.ZeroStage, input.PerRankExpertCollectives)
            : null;
        var work = new PlacedWork(pipeline, adjacency.Reachable(root.Index), placement, liveness);
        var devices = work.DeviceCount();
        if (devices is null) return null;

        var chains = new LayerChains(input);
        var ledger = new MemorySimulator.DeviceLedger(devices.Value, data);
        var (dense, moe) = work.LayersPerDevice(chains, devices.Value);
        ledger.AddStatic(dense, moe);
        var training = data.Mode == MemoryMode.Training;
        foreach (var (stage, items) in StagesOf(order))
        {
            ReplayStage(ledger, stage, items, chains, placement, liveness, training);
        }

        return new MemorySimulationResult(0, [], ledger.Summaries());
    }

    /// <summary>Each stage's compute vertices in run order, stages in the order they first run.</summary>
    private static List<(int Stage, List<ComputeVertex> Items)> StagesOf(List<ComputeVertex> order)
    {
        var stages = new List<(int Stage, List<ComputeVertex> Items)>();
        var byStage = new Dictionary<int, List<ComputeVertex>>();
        foreach (var c in order)
        {
            var stage = StageOf(c);
            if (!byStage.TryGetValue(stage, out var list))
            {
                byStage[stage] = list = [];
                stages.Add((stage, list));
            }

            list.Add(c);
        }

        return stages;
    }

    /// <summary>
    /// Replays one stage on each of its ranks. Ranks that run the same operations from the same static memory end with
    /// the same ledger, so one of them is replayed and the others copy it: ranks 1… always run the same operations, and
    /// rank 0 does too on a stage without the LM head or embedding unless ZeRO-3's gathers leave a rank's work unrun.
    /// </summary>
    private static void ReplayStage(
        MemorySimulator.DeviceLedger ledger, int stage, List<ComputeVertex> items, LayerChains chains, Placement placement,
        ShardedGatherLiveness? liveness, bool training)
    {
        var uniform = liveness is null && items.TrueForAll(c => KindOf(c) is PlacementKind.Layer or PlacementKind.PerRank);
        Dictionary<double, int>? replayed = null;
        for (var rank = 0; rank < placement.Ranks; rank++)
        {
            var device = placement.HardwareId(stage, rank);
            if ((rank > 0 || uniform) && device < ledger.Count)
            {
                var start = ledger.StaticBytes(device);
                replayed ??= [];
                if (replayed.TryGetValue(start, out var twin))
                {
                    ledger.CopyDevice(twin, device);
                    continue;
                }

                replayed[start] = device;
            }

            foreach (var c in items)
            {
                if (liveness is not null && !liveness.Runs(c, rank)) continue;
                ReplayItem(ledger, c, chains, device, rank, training);
            }
        }
    }

    private static void ReplayItem(MemorySimulator.DeviceLedger ledger, ComputeVertex c, LayerChains chains, int device, int rank, bool training)
    {
        switch (KindOf(c))
        {
            case PlacementKind.Layer:
                ReplayLayer(ledger, c, chains, device, training);
                break;
            case PlacementKind.PerRank:
                Replay(ledger, device, c.MemoryKind, c.IsForward, paramGather: false, c.IsMoeLayer == true, training);
                break;
            case PlacementKind.Head when rank == 0:
                Replay(ledger, device, c.MemoryKind, c.IsForward, paramGather: false, c.IsMoeLayer == true, training);
                break;
            case PlacementKind.Single when rank == 0:
                Replay(ledger, c.HardwareId, c.MemoryKind, c.IsForward, paramGather: false, c.IsMoeLayer == true, training);
                break;
        }
    }

    private enum PlacementKind
    {
        /// <summary>A transformer layer: one chain of the layer's operations per rank.</summary>
        Layer,

        /// <summary>An optimizer step: one copy per rank.</summary>
        PerRank,

        /// <summary>The LM head: rank 0 of its stage.</summary>
        Head,

        /// <summary>Anything else (the embedding): its pipeline device id as is.</summary>
        Single,
    }

    private static PlacementKind KindOf(ComputeVertex c) => c.Role switch
    {
        VertexRole.TransformerLayer => PlacementKind.Layer,
        VertexRole.Optimizer => PlacementKind.PerRank,
        VertexRole.LmHead => PlacementKind.Head,
        _ => PlacementKind.Single,
    };

    private static bool IsForwardLayer(ComputeVertex layer) =>
        (layer.Direction ?? (layer.IsForward ? PassDirection.Forward : PassDirection.Backward)) == PassDirection.Forward;

    private static void ReplayLayer(MemorySimulator.DeviceLedger ledger, ComputeVertex layer, LayerChains chains, int device, bool training)
    {
        var forward = IsForwardLayer(layer);
        var chain = chains.Of(layer.IsMoeLayer == true, forward);
        var moeLayer = layer.IsMoeLayer ?? false;
        // The layer's input checkpoint is booked by its input norm (the tail half when split), as in the flattened graph.
        var booksInput = layer.Layer is not null && !layer.IsRecompute;
        for (var k = 0; k < chain.Kinds.Length; k++)
        {
            var kind = chain.Kinds[k];
            // The head the overlap rewrite adds copies the operation's flags but not its MoE mark.
            if (chain.Split[k]) Replay(ledger, device, kind, forward, paramGather: k == 0, moeLayer: false, training);
            Replay(ledger, device, kind, forward, paramGather: k == 0, moeLayer, training,
                layerInput: booksInput && kind == VertexMemoryKind.LayerNorm1);
        }
    }

    private static void Replay(
        MemorySimulator.DeviceLedger ledger, int device, VertexMemoryKind kind, bool forward, bool paramGather, bool moeLayer, bool training, bool layerInput = false)
    {
        ledger.OnStarted(device, paramGather, training);
        ledger.OnFinished(device, kind, forward, paramGather, moeLayer, training, layerInput);
    }

    /// <summary>Ranks per stage and the device of each (stage, rank), as the flattener numbers them (each looked up once).</summary>
    private sealed class Placement(FlatteningInput input)
    {
        private const int Unknown = int.MinValue;
        private readonly RankLayout? _layout = input.Layout;
        private int[] _devices = [];

        public int Ranks { get; } = Math.Max(1, Math.Max(1, input.Transformer.TensorParallel) * Math.Max(1, input.Transformer.ContextParallel) * Math.Max(1, input.ExpertParallel));

        public int HardwareId(int stage, int rank)
        {
            if (_layout is null || stage < 0) return Device(stage, rank);
            var slot = (stage * Ranks) + rank;
            if (slot >= _devices.Length)
            {
                var grown = new int[Math.Max(slot + 1, _devices.Length * 2)];
                Array.Fill(grown, Unknown);
                _devices.CopyTo(grown, 0);
                _devices = grown;
            }

            if (_devices[slot] == Unknown) _devices[slot] = Device(stage, rank);
            return _devices[slot];
        }

        private int Device(int stage, int rank) => _layout?.HardwareId(stage, rank) ?? (stage * Ranks) + rank;
    }

    /// <summary>The operations of the dense and MoE layer chains per direction, in run order, with what each books.</summary>
    private sealed class LayerChains
    {
        private readonly Chain[] _chains = new Chain[4];

        public LayerChains(FlatteningInput input)
        {
            var mode = input.Transformer.Mode;
            var o = input.Overlap;
            // Context-parallel overlap splits collectives only, which no ledger sees; tensor-parallel overlap (below 1)
            // splits each operation followed by a tensor-parallel collective into a head and a tail that both book its memory.
            var overlap = mode switch
            {
                Operations.ParallelismMode.TensorSequence => o.TensorSequenceParallel,
                Operations.ParallelismMode.Tensor or Operations.ParallelismMode.TensorContextHybrid => o.TensorParallel,
                _ => 0,
            };
            var moe = input.MoeTransformer ?? input.Transformer;
            _chains[0] = new Chain(input.Transformer, PassDirection.Forward, overlap);
            _chains[1] = new Chain(input.Transformer, PassDirection.Backward, overlap);
            _chains[2] = new Chain(moe, PassDirection.Forward, overlap);
            _chains[3] = new Chain(moe, PassDirection.Backward, overlap);
        }

        /// <summary>The chain a layer vertex expands into (a MoE layer uses the dense chain when no MoE chain is given).</summary>
        public Chain Of(bool moe, bool forward) => _chains[(moe ? 2 : 0) + (forward ? 0 : 1)];
    }

    /// <summary>One layer chain: operation kinds in run order and which of them the tensor-parallel overlap splits.</summary>
    private sealed class Chain
    {
        public Chain(TransformerGraphInput input, PassDirection direction, double overlap)
        {
            var ops = input.Ops;
            var forward = direction == PassDirection.Forward;
            var comms = TransformerGraphBuilder.Specs(input, direction);
            var splits = overlap > 0 && overlap < 1;
            Kinds = new VertexMemoryKind[ops.Count];
            Split = new bool[ops.Count];
            for (var k = 0; k < ops.Count; k++)
            {
                var i = forward ? k : ops.Count - 1 - k;
                var op = ops[i];
                Kinds[k] = TransformerGraphBuilder.MemoryKindOf(op.Name);
                var seconds = forward ? op.ForwardSeconds : op.BackwardSeconds;
                Split[k] = splits && comms[i] is { Spec.Axis: ParallelismAxis.Tp } && seconds > 0 && seconds * (1.0 - overlap) > 0 && seconds * overlap > 0;
                CountsLayer |= MemorySimulator.IsTransformerOp(Kinds[k]);
                SplitCountsLayer |= Split[k] && MemorySimulator.IsTransformerOp(Kinds[k]);
            }
        }

        public VertexMemoryKind[] Kinds { get; }

        public bool[] Split { get; }

        /// <summary>Some operation is a transformer operation (its layer counts on its device).</summary>
        public bool CountsLayer { get; }

        /// <summary>Some operation the overlap splits is a transformer operation (its unmarked head counts the layer as dense).</summary>
        public bool SplitCountsLayer { get; }
    }

    /// <summary>Where the reachable pipeline compute vertices land on devices, and which of those copies the root reaches.</summary>
    private sealed class PlacedWork
    {
        private readonly ExecutionGraph _pipeline;
        private readonly Placement _placement;
        private readonly ShardedGatherLiveness? _liveness;
        private readonly List<ComputeVertex> _compute = [];

        public PlacedWork(ExecutionGraph pipeline, bool[] reachable, Placement placement, ShardedGatherLiveness? liveness)
        {
            _pipeline = pipeline;
            _placement = placement;
            _liveness = liveness;
            foreach (var v in pipeline.Vertices)
            {
                if (v is ComputeVertex c && reachable[v.Index]) _compute.Add(c);
            }
        }

        private bool Reached(ComputeVertex c, int rank) => _liveness?.Reached(c, rank) ?? true;

        /// <summary>Devices the flattened graph has; null when a vertex would be placed where the replay does not look.</summary>
        public int? DeviceCount()
        {
            var maxDevice = -1;
            var ranks = _placement.Ranks;
            // Without ZeRO-3's per-rank gathers every rank of a stage is reached alike, so one vertex per stage suffices.
            var stagesDone = new HashSet<int>();
            foreach (var c in _compute)
            {
                var kind = KindOf(c);
                if (kind == PlacementKind.Single && c.HardwareId != 0 && ranks > 1) return null;
                if (kind == PlacementKind.Single && _placement.HardwareId(0, 0) != 0 && c.HardwareId == 0) return null;
                var stage = StageOf(c);
                switch (kind)
                {
                    case PlacementKind.Layer or PlacementKind.PerRank:
                        if (_liveness is null && !stagesDone.Add(stage)) break;
                        for (var r = 0; r < ranks; r++)
                        {
                            if (Reached(c, r)) maxDevice = Math.Max(maxDevice, _placement.HardwareId(stage, r));
                        }

                        break;
                    case PlacementKind.Head when Reached(c, 0):
                        maxDevice = Math.Max(maxDevice, _placement.HardwareId(stage, 0));
                        break;
                    case PlacementKind.Single when Reached(c, 0):
                        maxDevice = Math.Max(maxDevice, c.HardwareId);
                        break;
                }
            }

            return Math.Max(_pipeline.MinimumDeviceCount, maxDevice + 1);
        }

        /// <summary>Distinct forward layer indices per device with a transformer operation, dense and MoE apart, as the simulator counts them.</summary>
        public (int[] Dense, int[] Moe) LayersPerDevice(LayerChains chains, int devices)
        {
            var layers = 0;
            foreach (var c in _compute)
            {
                if (c.Layer is { } l) layers = Math.Max(layers, l + 1);
            }

            var dense = new LayerTally(devices, layers);
            var moe = new LayerTally(devices, layers);
            // Each micro-batch repeats a layer's vertices; without per-rank gathers the repeats add nothing.
            var layersDone = new HashSet<(int Stage, int Layer)>();
            foreach (var c in _compute)
            {
                if (c.Layer is not { } layer) continue;
                switch (KindOf(c))
                {
                    case PlacementKind.Layer when IsForwardLayer(c):
                        var countsDense = LayerCounts(c, chains, moe: false);
                        var countsMoe = LayerCounts(c, chains, moe: true);
                        var stage = StageOf(c);
                        if ((!countsDense && !countsMoe) || (_liveness is null && !layersDone.Add((stage, layer)))) break;
                        for (var r = 0; r < _placement.Ranks; r++)
                        {
                            if (!Reached(c, r)) continue;
                            var device = _placement.HardwareId(stage, r);
                            if (countsDense) dense.Add(device, layer);
                            if (countsMoe) moe.Add(device, layer);
                        }

                        break;
                    case PlacementKind.PerRank when CountsAsLayer(c):
                        for (var r = 0; r < _placement.Ranks; r++)
                        {
                            if (Reached(c, r)) (c.IsMoeLayer == true ? moe : dense).Add(_placement.HardwareId(c.HardwareId, r), layer);
                        }

                        break;
                    case PlacementKind.Head when CountsAsLayer(c) && Reached(c, 0):
                        (c.IsMoeLayer == true ? moe : dense).Add(_placement.HardwareId(c.HardwareId, 0), layer);
                        break;
                    case PlacementKind.Single when CountsAsLayer(c) && Reached(c, 0):
                        (c.IsMoeLayer == true ? moe : dense).Add(c.HardwareId, layer);
                        break;
                }
            }

            return (dense.Counts, moe.Counts);
        }

        /// <summary>Distinct layer indices per device.</summary>
        private sealed class LayerTally(int devices, int layers)
        {
            private readonly bool[] _seen = new bool[devices * layers];

            public int[] Counts { get; } = new int[devices];

            public void Add(int device, int layer)
            {
                if (device < 0 || device >= devices || _seen[(device * layers) + layer]) return;
                _seen[(device * layers) + layer] = true;
                Counts[device]++;
            }
        }

        private static bool CountsAsLayer(ComputeVertex c) => c.IsForward && MemorySimulator.IsTransformerOp(c.MemoryKind);

        /// <summary>Whether a forward layer's chain counts it among the dense (or MoE) layers of its devices.</summary>
        private static bool LayerCounts(ComputeVertex layer, LayerChains chains, bool moe)
        {
            var isMoe = layer.IsMoeLayer ?? false;
            var chain = chains.Of(isMoe, forward: true);
            // An overlap head of a MoE layer's operation loses the MoE mark, so it counts the layer as dense too.
            return isMoe == moe ? chain.CountsLayer : !moe && isMoe && chain.SplitCountsLayer;
        }
    }

    /// <summary>
    /// The compute vertices that run, in an order that is each stage's execution order, or null when some stage's work
    /// is not totally ordered by the graph's edges (then its order would depend on times, and only a simulation knows it).
    /// </summary>
    private static List<ComputeVertex>? RunOrder(PipelineAdjacency graph, int root)
    {
        var vertices = graph.Graph.Vertices;
        var count = vertices.Count;
        var stageOf = new int[count];
        var stageIds = new Dictionary<int, int>();
        for (var i = 0; i < count; i++)
        {
            stageOf[i] = -1;
            if (vertices[i] is ComputeVertex c)
            {
                var stage = StageOf(c);
                if (!stageIds.TryGetValue(stage, out var id)) stageIds[stage] = id = stageIds.Count;
                stageOf[i] = id;
            }
        }

        // The scratch arrays are large (vertices × stages) and short-lived: borrowed, not left to the large-object heap.
        var stageCount = Math.Max(1, stageIds.Count);
        var pending = ArrayPool<int>.Shared.Rent(count);
        var latest = ArrayPool<int>.Shared.Rent(count * stageCount);
        try
        {
            return RunOrder(graph, root, stageOf, stageCount, pending.AsSpan(0, count), latest.AsSpan(0, count * stageCount));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(pending);
            ArrayPool<int>.Shared.Return(latest);
        }
    }

    /// <summary>The breadth-first run from the root, checking each stage's order (see <see cref="RunOrder(PipelineAdjacency, int)"/>).</summary>
    private static List<ComputeVertex>? RunOrder(PipelineAdjacency graph, int root, int[] stageOf, int stageCount, Span<int> pending, Span<int> latest)
    {
        var vertices = graph.Graph.Vertices;
        pending.Clear();
        for (var e = 0; e < graph.EndChild(graph.Count - 1); e++) pending[graph.Child(e)]++;

        // For every vertex, the latest compute vertex of each stage among its ancestors (-1: none), by run position.
        latest.Fill(-1);
        Span<int> lastOnStage = stageCount <= 256 ? stackalloc int[stageCount] : new int[stageCount];
        lastOnStage.Fill(-1);
        var run = new List<ComputeVertex>();
        var queue = new Queue<int>();
        queue.Enqueue(root);
        var position = 0;
        while (queue.Count > 0)
        {
            var vi = queue.Dequeue();
            var mine = latest.Slice(vi * stageCount, stageCount);
            if (stageOf[vi] is var s and >= 0)
            {
                // Its stage's previous vertex must be one of its ancestors; otherwise the two could run in either order.
                if (mine[s] != lastOnStage[s]) return null;
                lastOnStage[s] = position;
                mine[s] = position;
                run.Add((ComputeVertex)vertices[vi]);
            }

            position++;
            for (var e = graph.FirstChild(vi); e < graph.EndChild(vi); e++)
            {
                var ci = graph.Child(e);
                var theirs = latest.Slice(ci * stageCount, stageCount);
                for (var k = 0; k < stageCount; k++)
                {
                    if (mine[k] > theirs[k]) theirs[k] = mine[k];
                }

                if (--pending[ci] == 0) queue.Enqueue(ci);
            }
        }

        return run;
    }

    private static int StageOf(ComputeVertex c) => KindOf(c) == PlacementKind.Layer ? c.Stage ?? c.HardwareId : c.HardwareId;
}
