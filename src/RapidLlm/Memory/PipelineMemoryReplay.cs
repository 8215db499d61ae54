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
/// Tensor-parallel overlap splits an operation into a head and a tail that both book its memory; the replay books it
/// twice where the rewrite splits. Returns null where the argument does not hold and the caller must flatten: ZeRO-3 over more than one rank per stage (its per-rank gathers change which operations run), a stage
/// whose work is not totally ordered, or a compute vertex the flattener would place elsewhere.
/// The result carries no event times (<see cref="MemorySimulationResult.EndTimeSeconds"/> 0, no finish times).
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
        // Overlap rewrites split operations into parts; only a simulation of the rewritten graph sizes those.
        var mode = input.Transformer.Mode;
        var o = input.Overlap;
        var tensorOverlap = mode switch
        {
            Operations.ParallelismMode.TensorSequence => o.TensorSequenceParallel,
            Operations.ParallelismMode.Tensor or Operations.ParallelismMode.TensorContextHybrid => o.TensorParallel,
            _ => 0,
        };
        // Context-parallel overlap splits collectives only, which no ledger sees; tensor-parallel overlap (below 1) splits
        // each operation followed by a tensor-parallel collective into a head and a tail that both book its memory.
        var split = new ChainSplits(tensorOverlap, input);

        var t = input.Transformer;
        var ranks = Math.Max(1, Math.Max(1, t.TensorParallel) * Math.Max(1, t.ContextParallel) * Math.Max(1, input.ExpertParallel));
        var layout = input.Layout;
        if (layout is not null && layout.RanksPerStage != ranks) return null;
        // ZeRO-3 gathers split per rank are wired into the per-rank graph in the reference's cloning order, which keeps
        // some of the chains' successors from ever running; only the flattened graph reproduces that.
        if (input.ZeroStage >= 3 && ranks > 1) return null;
        int HardwareId(int stage, int rank) => layout?.HardwareId(stage, rank) ?? stage * ranks + rank;

        var order = RunOrder(pipeline, root);
        if (order is null) return null;
        var reachable = Reachable(pipeline, root);

        // What each pipeline compute vertex becomes: a per-rank chain, per-rank copies, or one vertex on one device.
        var stages = new Dictionary<int, List<ComputeVertex>>();
        var maxDevice = -1;
        foreach (var v in pipeline.Vertices)
        {
            if (v is not ComputeVertex c || !reachable.Contains(v)) continue;
            var kind = KindOf(c);
            if (kind == PlacementKind.Single && c.HardwareId != 0 && ranks > 1) return null;
            if (kind == PlacementKind.Single && HardwareId(0, 0) != 0 && c.HardwareId == 0) return null;
            var stage = kind == PlacementKind.Layer ? c.Stage ?? c.HardwareId : c.HardwareId;
            var highest = kind switch
            {
                PlacementKind.Layer or PlacementKind.PerRank => Enumerable.Range(0, ranks).Max(r => HardwareId(stage, r)),
                PlacementKind.Head => HardwareId(stage, 0),
                _ => c.HardwareId,
            };
            maxDevice = Math.Max(maxDevice, highest);
        }

        foreach (var v in order)
        {
            var c = (ComputeVertex)v;
            var stage = KindOf(c) == PlacementKind.Layer ? c.Stage ?? c.HardwareId : c.HardwareId;
            if (!stages.TryGetValue(stage, out var list)) stages[stage] = list = [];
            list.Add(c);
        }

        var devices = Math.Max(pipeline.MinimumDeviceCount, maxDevice + 1);
        var ledger = new MemorySimulator.DeviceLedger(devices, data);
        ledger.AddStatic(LayersPerDevice(pipeline, reachable, input, split, ranks, devices, HardwareId, moe: false),
            LayersPerDevice(pipeline, reachable, input, split, ranks, devices, HardwareId, moe: true));

        var training = data.Mode == MemoryMode.Training;
        foreach (var (stage, work) in stages)
        {
            // Ranks 1… of a stage run the same operations; those that also start from the same static memory end
            // with the same ledger, so one of them is replayed and the others copy it.
            var replayed = new Dictionary<double, int>();
            for (var rank = 0; rank < ranks; rank++)
            {
                var device = HardwareId(stage, rank);
                if (rank > 0 && device < devices)
                {
                    var start = ledger.StaticBytes(device);
                    if (replayed.TryGetValue(start, out var twin))
                    {
                        ledger.CopyDevice(twin, device);
                        continue;
                    }

                    replayed[start] = device;
                }

                foreach (var c in work)
                {
                    switch (KindOf(c))
                    {
                        case PlacementKind.Layer:
                            ReplayLayer(ledger, c, input, split, device, training);
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
            }
        }

        return new MemorySimulationResult(0, [], ledger.Summaries());
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

    private static void ReplayLayer(MemorySimulator.DeviceLedger ledger, ComputeVertex layer, FlatteningInput input, ChainSplits split, int device, bool training)
    {
        var direction = layer.Direction ?? (layer.IsForward ? PassDirection.Forward : PassDirection.Backward);
        var forward = direction == PassDirection.Forward;
        var moe = layer.IsMoeLayer == true && input.MoeTransformer is not null;
        var ops = moe ? input.MoeTransformer!.Ops : input.Transformer.Ops;
        var splits = split.Of(moe, forward);
        var moeLayer = layer.IsMoeLayer ?? false;
        for (var k = 0; k < ops.Count; k++)
        {
            var opIndex = forward ? k : ops.Count - 1 - k;
            var kind = TransformerGraphBuilder.MemoryKindOf(ops[opIndex].Name);
            // The head the overlap rewrite adds copies the operation's flags but not its MoE mark.
            if (splits[opIndex]) Replay(ledger, device, kind, forward, paramGather: k == 0, moeLayer: false, training);
            // The layer's input checkpoint is booked by its input norm (the tail half when split), as in the flattened graph.
            Replay(ledger, device, kind, forward, paramGather: k == 0, moeLayer, training,
                layerInput: kind == VertexMemoryKind.LayerNorm1 && layer.Layer is not null && !layer.IsRecompute);
        }
    }

    /// <summary>Which operations of the dense and MoE chains, forward and backward, the tensor-parallel overlap splits in two.</summary>
    private sealed class ChainSplits
    {
        private readonly bool[][] _splits = new bool[4][];

        public ChainSplits(double overlap, FlatteningInput input)
        {
            _splits[0] = Splits(input.Transformer, PassDirection.Forward, overlap);
            _splits[1] = Splits(input.Transformer, PassDirection.Backward, overlap);
            _splits[2] = input.MoeTransformer is { } m ? Splits(m, PassDirection.Forward, overlap) : [];
            _splits[3] = input.MoeTransformer is { } n ? Splits(n, PassDirection.Backward, overlap) : [];
        }

        public bool[] Of(bool moe, bool forward) => _splits[(moe ? 2 : 0) + (forward ? 0 : 1)];

        private static bool[] Splits(TransformerGraphInput chain, PassDirection direction, double overlap)
        {
            var comms = TransformerGraphBuilder.Specs(chain, direction);
            var result = new bool[chain.Ops.Count];
            if (!(overlap > 0 && overlap < 1)) return result;
            for (var i = 0; i < result.Length; i++)
            {
                var op = chain.Ops[i];
                var duration = direction == PassDirection.Forward ? op.ForwardSeconds : op.BackwardSeconds;
                result[i] = comms[i] is { Spec.Axis: ParallelismAxis.Tp } && duration > 0 && duration * (1.0 - overlap) > 0 && duration * overlap > 0;
            }

            return result;
        }
    }

    private static void Replay(
        MemorySimulator.DeviceLedger ledger, int device, VertexMemoryKind kind, bool forward, bool paramGather, bool moeLayer, bool training, bool layerInput = false)
    {
        ledger.OnStarted(device, paramGather, training);
        ledger.OnFinished(device, kind, forward, paramGather, moeLayer, training, layerInput);
    }

    /// <summary>
    /// The compute vertices that run, in an order that is each stage's execution order, or null when some stage's work
    /// is not totally ordered by the graph's edges (then its order would depend on times, and only a simulation knows it).
    /// </summary>
    private static List<GraphVertex>? RunOrder(ExecutionGraph graph, GraphVertex root)
    {
        var vertices = graph.Vertices;
        var count = vertices.Count;
        var pending = new int[count];
        foreach (var v in vertices)
        {
            foreach (var child in graph.Children(v)) pending[child.Index]++;
        }

        // For every vertex, the latest compute vertex of each stage among its ancestors (-1: none), by run position.
        var stageIds = new Dictionary<int, int>();
        foreach (var v in vertices)
        {
            if (v is ComputeVertex c) stageIds.TryAdd(StageOf(c), stageIds.Count);
        }

        var stageCount = stageIds.Count;
        var latest = new int[count * Math.Max(1, stageCount)];
        Array.Fill(latest, -1);
        var lastOnStage = new int[Math.Max(1, stageCount)];
        Array.Fill(lastOnStage, -1);
        var run = new List<GraphVertex>();
        var queue = new Queue<GraphVertex>();
        queue.Enqueue(root);
        var position = 0;
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            var vi = v.Index;
            if (v is ComputeVertex c)
            {
                var s = stageIds[StageOf(c)];
                // Its stage's previous vertex must be one of its ancestors; otherwise the two could run in either order.
                if (latest[vi * stageCount + s] != lastOnStage[s]) return null;
                lastOnStage[s] = position;
                latest[vi * stageCount + s] = position;
                run.Add(v);
            }

            position++;
            foreach (var child in graph.Children(v))
            {
                var ci = child.Index;
                for (var s = 0; s < stageCount; s++)
                {
                    latest[ci * stageCount + s] = Math.Max(latest[ci * stageCount + s], latest[vi * stageCount + s]);
                }

                if (--pending[ci] == 0) queue.Enqueue(child);
            }
        }

        return run;
    }

    private static int StageOf(ComputeVertex c) => KindOf(c) == PlacementKind.Layer ? c.Stage ?? c.HardwareId : c.HardwareId;

    private static HashSet<GraphVertex> Reachable(ExecutionGraph graph, GraphVertex root)
    {
        var seen = new HashSet<GraphVertex>(ReferenceEqualityComparer.Instance) { root };
        var stack = new Stack<GraphVertex>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            foreach (var child in graph.Children(stack.Pop()))
            {
                if (seen.Add(child)) stack.Push(child);
            }
        }

        return seen;
    }

    /// <summary>Distinct forward layer indices per device with a transformer operation, as the simulator counts them.</summary>
    private static int[] LayersPerDevice(
        ExecutionGraph pipeline, HashSet<GraphVertex> reachable, FlatteningInput input, ChainSplits split, int ranks, int devices, Func<int, int, int> hardwareId, bool moe)
    {
        var sets = new HashSet<int>[devices];
        for (var d = 0; d < devices; d++) sets[d] = [];
        void Count(int device, int layer)
        {
            if (device >= 0 && device < devices) sets[device].Add(layer);
        }

        foreach (var v in pipeline.Vertices)
        {
            if (v is not ComputeVertex c || !reachable.Contains(v)) continue;
            switch (KindOf(c))
            {
                case PlacementKind.Layer:
                {
                    var direction = c.Direction ?? (c.IsForward ? PassDirection.Forward : PassDirection.Backward);
                    if (direction != PassDirection.Forward || c.Layer is not { } layer) break;
                    var isMoe = c.IsMoeLayer ?? false;
                    var moeChain = c.IsMoeLayer == true && input.MoeTransformer is not null;
                    var ops = moeChain ? input.MoeTransformer!.Ops : input.Transformer.Ops;
                    bool Counts(int i) => MemorySimulator.IsTransformerOp(TransformerGraphBuilder.MemoryKindOf(ops[i].Name));
                    if (isMoe == moe)
                    {
                        if (!Enumerable.Range(0, ops.Count).Any(Counts)) break;
                    }
                    else
                    {
                        // An overlap head of a MoE layer's operation loses the MoE mark, so it counts the layer as dense too.
                        var splits = split.Of(moeChain, forward: true);
                        if (moe || !isMoe || !Enumerable.Range(0, ops.Count).Any(i => splits[i] && Counts(i))) break;
                    }

                    var stage = c.Stage ?? c.HardwareId;
                    for (var r = 0; r < ranks; r++) Count(hardwareId(stage, r), layer);
                    break;
                }

                case PlacementKind.PerRank when c.IsForward && c.Layer is { } l && MemorySimulator.IsTransformerOp(c.MemoryKind) && (c.IsMoeLayer == true) == moe:
                    for (var r = 0; r < ranks; r++) Count(hardwareId(c.HardwareId, r), l);
                    break;
                case PlacementKind.Head when c.IsForward && c.Layer is { } l && MemorySimulator.IsTransformerOp(c.MemoryKind) && (c.IsMoeLayer == true) == moe:
                    Count(hardwareId(c.HardwareId, 0), l);
                    break;
                case PlacementKind.Single when c.IsForward && c.Layer is { } l && MemorySimulator.IsTransformerOp(c.MemoryKind) && (c.IsMoeLayer == true) == moe:
                    Count(c.HardwareId, l);
                    break;
            }
        }

        return sets.Select(s => s.Count).ToArray();
    }
}
