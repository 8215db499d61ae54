using RapidLlm.Common;
using RapidLlm.Graphs.Overlap;
using RapidLlm.Network;

namespace RapidLlm.Graphs.Flattening;

/// <summary>
/// Turns a timed pipeline graph into the per-rank graph the memory simulation runs on (the
/// reference's <c>PipelineGraphFlattener</c> followed by its overlap rewrites and local-device
/// propagation):
/// <list type="bullet">
/// <item>every transformer-layer vertex becomes one chain per rank (tp·cp·ep ranks) of the layer's ops
/// and their collectives, forward in op order and backward reversed; the first op gathers parameters;</item>
/// <item>stage transfers and same-device links leaving a layer are replicated per rank (bytes split,
/// rounded up) and join rank r to rank r of the next layer;</item>
/// <item>data-parallel collectives hang off rank 0's tail only; optimizer steps are replicated per rank;
/// embedding and LM head run on rank 0 of their stage;</item>
/// <item>ZeRO-3 gathers marked tp-shard are replicated per rank when there is more than one rank.</item>
/// </list>
/// Op ids follow the reference's depth-first cloning order. The clone walk is iterative (an explicit
/// stack of resumable frames), so graph depth is unbounded. Pipeline communications keep their timed
/// durations; transformer collectives and the per-rank copies are 0 s, as in the reference.
/// </summary>
internal static class PipelineGraphFlattener
{
    /// <summary>Flattens a pipeline graph.</summary>
    /// <param name="pipeline">The pipeline graph.</param>
    /// <param name="durations">Its vertices' durations (the timing the pipeline was simulated with); the per-rank copies of its transfers carry them.</param>
    /// <param name="input">Transformer ops, degrees, layout, ZeRO stage and overlap.</param>
    /// <returns>The per-rank graph; its root is the clone of the pipeline root.</returns>
    public static ExecutionGraph Flatten(ExecutionGraph pipeline, VertexDurations durations, FlatteningInput input)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(durations);
        ArgumentNullException.ThrowIfNull(input);
        durations.EnsureCovers(pipeline);
        var root = pipeline.Root ?? throw new ArgumentException("The pipeline graph has no root.", nameof(pipeline));
        var run = new FlatteningRun(pipeline, durations, input);
        var flatRoot = run.Build(root);
        OverlapRewriter.Apply(run.Graph, flatRoot, input.Transformer.Mode, input.Overlap);
        run.PropagateLocalHardwareIds(flatRoot);
        return run.Graph.Materialize(flatRoot, pipeline.MinimumDeviceCount);
    }

    /// <summary>The clone of one source vertex: one vertex, or one per rank.</summary>
    private sealed class Cloned
    {
        public Cloned(RewritableVertex single) => Items = [single];

        public Cloned(IReadOnlyList<RewritableVertex> perRank)
        {
            Items = perRank;
            IsPerRank = true;
        }

        public IReadOnlyList<RewritableVertex> Items { get; }

        public bool IsPerRank { get; }
    }

    private sealed class FlatteningRun
    {
        private readonly ExecutionGraph _source;
        private readonly VertexDurations _durations;
        private readonly FlatteningInput _input;
        private readonly Dictionary<GraphVertex, Cloned> _cache = new(ReferenceEqualityComparer.Instance);
        private readonly (string Name, CommunicationSpec Spec)?[] _forwardComms;
        private readonly (string Name, CommunicationSpec Spec)?[] _backwardComms;
        private readonly (string Name, CommunicationSpec Spec)?[]? _moeForwardComms;
        private readonly (string Name, CommunicationSpec Spec)?[]? _moeBackwardComms;
        private readonly int _ranks;
        private readonly RankLayout? _layout;
        private int _opId;
        private Cloned? _returned;

        public FlatteningRun(ExecutionGraph source, VertexDurations durations, FlatteningInput input)
        {
            _source = source;
            _durations = durations;
            _input = input;
            var t = input.Transformer;
            _ranks = Math.Max(1, Math.Max(1, t.TensorParallel) * Math.Max(1, t.ContextParallel) * Math.Max(1, input.ExpertParallel));
            _layout = input.Layout;
            if (_layout is not null && _layout.RanksPerStage != _ranks)
            {
                throw new ArgumentException($"The rank layout has {_layout.RanksPerStage} ranks per stage but tp·cp·ep is {_ranks}.", nameof(input));
            }

            _forwardComms = TransformerGraphBuilder.Specs(t, PassDirection.Forward);
            _backwardComms = TransformerGraphBuilder.Specs(t, PassDirection.Backward);
            if (input.MoeTransformer is { } moe)
            {
                _moeForwardComms = TransformerGraphBuilder.Specs(moe, PassDirection.Forward);
                _moeBackwardComms = TransformerGraphBuilder.Specs(moe, PassDirection.Backward);
            }
        }

        public RewritableGraph Graph { get; } = new();

        public RewritableVertex Build(GraphVertex root)
        {
            CloneWalk.Run(root, Clone);

            var result = _returned ?? throw new InvalidOperationException("Flattening produced nothing.");
            if (result.IsPerRank)
            {
                throw new InvalidOperationException("The pipeline root must not be a transformer layer or optimizer step.");
            }

            return result.Items[0];
        }

        private int NextOpId() => ++_opId;

        private int HardwareId(int stage, int rank) => _layout?.HardwareId(stage, rank) ?? stage * _ranks + rank;

        /// <summary>
        /// One resumable clone call: yields a source vertex whenever it needs that vertex's clone (the
        /// driver clones it and leaves the result in <see cref="_returned"/>), and leaves its own clone
        /// in <see cref="_returned"/> when it ends.
        /// </summary>
        private IEnumerable<GraphVertex> Clone(GraphVertex source)
        {
            if (_cache.TryGetValue(source, out var cached))
            {
                _returned = cached;
                yield break;
            }

            switch (source)
            {
                case ComputeVertex { Role: VertexRole.TransformerLayer } c:
                    foreach (var request in ExpandLayer(c))
                    {
                        yield return request;
                    }

                    break;
                case ComputeVertex { Role: VertexRole.Optimizer } c:
                    foreach (var request in CloneOptimizer(c))
                    {
                        yield return request;
                    }

                    break;
                case ComputeVertex c:
                    foreach (var request in CloneCompute(c))
                    {
                        yield return request;
                    }

                    break;
                case CommunicationVertex e:
                {
                    var clone = Graph.Add(new RewritableVertex(RewritableVertexType.Communication, e.Name, NextOpId())
                    {
                        DurationSeconds = _durations[e],
                        IsDataParallel = e.IsDataParallel,
                        SizeBytes = e.SizeBytes,
                        Kind = e.Kind,
                        Participants = e.Participants,
                        Axis = e.Axis,
                        // The tp-shard mark is not carried over: only the per-rank copies keep it (as in the reference).
                        LocalHardwareId = e.LocalHardwareId,
                        Stage = e.Stage,
                        TpRank = e.TpRank,
                    });
                    var result = new Cloned(clone);
                    _cache[source] = result;
                    foreach (var child in _source.Children(e))
                    {
                        yield return child;
                        Attach([clone], _returned!.Items);
                    }

                    _returned = result;
                    break;
                }

                case RootVertex r:
                {
                    var clone = Graph.Add(new RewritableVertex(RewritableVertexType.Root, r.Name, r.OpId) { DurationSeconds = _durations[r], BatchId = r.BatchId, Role = r.Role });
                    var result = new Cloned(clone);
                    _cache[source] = result;
                    foreach (var child in _source.Children(r))
                    {
                        yield return child;
                        Attach([clone], _returned!.Items);
                    }

                    _returned = result;
                    break;
                }

                default:
                    throw new InvalidOperationException($"Unsupported vertex {source}.");
            }
        }

        private RewritableVertex NewCompute(ComputeVertex source, string name, int hardwareId) =>
            Graph.Add(new RewritableVertex(RewritableVertexType.Compute, name, NextOpId())
            {
                HardwareId = hardwareId,
                DurationSeconds = _durations[source],
                Role = source.Role,
                IsForward = source.IsForward,
                MicroBatch = source.MicroBatch,
                Layer = source.Layer,
                Direction = source.Direction,
                Stage = source.Stage,
                TpRank = source.TpRank,
                MemoryKind = source.MemoryKind,
                IsRecompute = source.IsRecompute,
                IsMoeLayer = source.IsMoeLayer,
            });

        private IEnumerable<GraphVertex> CloneOptimizer(ComputeVertex source)
        {
            var clones = new RewritableVertex[_ranks];
            for (var r = 0; r < _ranks; r++)
            {
                clones[r] = NewCompute(source, $"{source.Name}_rank{r}", HardwareId(source.HardwareId, r));
            }

            var result = new Cloned(clones);
            _cache[source] = result;
            foreach (var child in _source.Children(source))
            {
                yield return child;
                Attach(clones, _returned!.Items);
            }

            _returned = result;
        }

        private IEnumerable<GraphVertex> CloneCompute(ComputeVertex source)
        {
            // The LM head is placed on rank 0 of its stage; the embedding keeps its pipeline device id as is.
            var hardwareId = source.Role == VertexRole.LmHead
                ? HardwareId(source.HardwareId, 0)
                : source.HardwareId;
            var clone = NewCompute(source, source.Name, hardwareId);

            var perRankGathers = new List<RewritableVertex>();
            var deviceIds = new int[_ranks];
            for (var r = 0; r < _ranks; r++)
            {
                deviceIds[r] = HardwareId(source.HardwareId, r);
            }

            foreach (var sibling in ShardedSiblings(source))
            {
                // Only the last sibling's copies gate this vertex's children (as in the reference).
                perRankGathers = PerRankGathersOnDevices(sibling, deviceIds);
                _cache[sibling] = new Cloned(perRankGathers);
            }

            var result = new Cloned(clone);
            _cache[source] = result;
            foreach (var child in _source.Children(source))
            {
                yield return child;
                var childClone = _returned!.Items;
                if (perRankGathers.Count > 0)
                {
                    Attach(perRankGathers, childClone);
                }

                Attach([clone], childClone);
            }

            _returned = result;
        }

        /// <summary>
        /// Expands a transformer-layer vertex: one chain of the layer's operations per rank, then its children wired to
        /// the chains (data-parallel collectives off rank 0, stage transfers and expert collectives per rank, the rest
        /// after every chain), then the ZeRO-3 gathers beside it copied per rank.
        /// </summary>
        private IEnumerable<GraphVertex> ExpandLayer(ComputeVertex layer)
        {
            var stage = layer.Stage ?? layer.HardwareId;
            var (heads, tails) = BuildRankChains(layer, stage);
            var zero3Siblings = ShardedSiblings(layer).ToList();
            foreach (var request in AttachLayerChildren(layer, heads, tails))
            {
                yield return request;
            }

            foreach (var sibling in zero3Siblings)
            {
                var crossDevice = sibling.LocalHardwareId != stage;
                _cache[sibling] = new Cloned(PerRankGathersOnChains(sibling, heads, tails, crossDevice));
            }

            var result = new Cloned(heads);
            _cache[layer] = result;
            _returned = result;
        }

        /// <summary>Each rank's chain of the layer's operations and their collectives: forward in op order, backward reversed.</summary>
        private (List<RewritableVertex> Heads, List<RewritableVertex> Tails) BuildRankChains(ComputeVertex layer, int stage)
        {
            var direction = layer.Direction ?? (layer.IsForward ? PassDirection.Forward : PassDirection.Backward);
            var forward = direction == PassDirection.Forward;
            // MoE layers expand into their own chain (router, exchanges, expert MLP) when one is given.
            var moe = layer.IsMoeLayer == true && _input.MoeTransformer is not null;
            var ops = moe ? _input.MoeTransformer!.Ops : _input.Transformer.Ops;
            var comms = moe ? (forward ? _moeForwardComms! : _moeBackwardComms!) : forward ? _forwardComms : _backwardComms;
            var heads = new List<RewritableVertex>(_ranks);
            var tails = new List<RewritableVertex>(_ranks);
            for (var rank = 0; rank < _ranks; rank++)
            {
                var hw = HardwareId(stage, rank);
                RewritableVertex? previous = null;
                RewritableVertex? head = null;
                for (var k = 0; k < ops.Count; k++)
                {
                    var opIndex = forward ? k : ops.Count - 1 - k;
                    var node = NewOperation(layer, ops[opIndex], direction, stage, rank, hw, paramGather: k == 0);
                    if (previous is not null)
                    {
                        Graph.Connect(previous, node);
                    }

                    previous = node;
                    head ??= node;
                    if (comms[opIndex] is { } comm)
                    {
                        var edge = NewLayerCollective(layer, comm, direction, stage, rank, hw);
                        Graph.Connect(previous, edge);
                        previous = edge;
                    }
                }

                heads.Add(head ?? throw new InvalidOperationException("A transformer layer needs at least one op."));
                tails.Add(previous!);
            }

            return (heads, tails);
        }

        private RewritableVertex NewOperation(ComputeVertex layer, TransformerOpTiming op, PassDirection direction, int stage, int rank, int hw, bool paramGather)
        {
            var forward = direction == PassDirection.Forward;
            var mbText = layer.MicroBatch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None";
            var layerText = layer.Layer?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None";
            var name = $"{op.Name}_{(forward ? "forward" : "backward")}_mb{mbText}_l{layerText}_rank{rank}";
            return Graph.Add(new RewritableVertex(RewritableVertexType.Compute, name, NextOpId())
            {
                HardwareId = hw,
                DurationSeconds = forward ? op.ForwardSeconds : op.BackwardSeconds,
                IsForward = forward,
                MemoryKind = TransformerGraphBuilder.MemoryKindOf(op.Name),
                Role = TransformerGraphBuilder.RoleOf(op.Name),
                Stage = stage,
                TpRank = rank,
                MicroBatch = layer.MicroBatch,
                Layer = layer.Layer,
                Direction = direction,
                IsRecompute = layer.IsRecompute,
                IsParamGather = paramGather,
                IsMoeLayer = layer.IsMoeLayer ?? false,
            });
        }

        private RewritableVertex NewLayerCollective(ComputeVertex layer, (string Name, CommunicationSpec Spec) comm, PassDirection direction, int stage, int rank, int hw) =>
            Graph.Add(new RewritableVertex(RewritableVertexType.Communication, comm.Name, NextOpId())
            {
                Kind = comm.Spec.Kind,
                SizeBytes = comm.Spec.SizeBytes,
                Participants = comm.Spec.Participants,
                Axis = comm.Spec.Axis,
                IsDataParallel = comm.Spec.Axis == ParallelismAxis.Dp,
                LocalHardwareId = hw,
                Stage = stage,
                MicroBatch = layer.MicroBatch,
                Layer = layer.Layer,
                Direction = direction,
                TpRank = rank,
            });

        /// <summary>Clones the layer's children and wires them to the rank chains (data-parallel ones first, as the reference visits them).</summary>
        private IEnumerable<GraphVertex> AttachLayerChildren(ComputeVertex layer, List<RewritableVertex> heads, List<RewritableVertex> tails)
        {
            var dataParallelChildren = new List<GraphVertex>();
            var otherChildren = new List<GraphVertex>();
            foreach (var child in _source.Children(layer))
            {
                (child is CommunicationVertex { Axis: ParallelismAxis.Dp } ? dataParallelChildren : otherChildren).Add(child);
            }

            // Data-parallel collectives are side branches of rank 0's tail only.
            foreach (var child in dataParallelChildren)
            {
                if (ShouldShard(child))
                {
                    // The reference builds (and wires) these copies here and then drops them.
                    _ = PerRankGathersOnChains((CommunicationVertex)child, heads, tails, crossDevice: false);
                }

                yield return child;
                Attach([tails[0]], _returned!.Items);
            }

            foreach (var child in otherChildren)
            {
                var requests = child switch
                {
                    CommunicationVertex { Kind: CollectiveKind.PointToPoint } transfer => ReplicateStageTransfer(transfer, tails),
                    CommunicationVertex { Axis: ParallelismAxis.Ep, Kind: not CollectiveKind.PointToPoint } expertSync
                        when _input.PerRankExpertCollectives && _ranks > 1 => ReplicateExpertCollective(expertSync, tails),
                    _ => AttachAfterChains(child, tails),
                };
                foreach (var request in requests)
                {
                    yield return request;
                }
            }
        }

        /// <summary>A stage transfer leaving the layer: one copy per rank (bytes split, rounded up) joining rank r to rank r of its targets.</summary>
        private IEnumerable<GraphVertex> ReplicateStageTransfer(CommunicationVertex transfer, List<RewritableVertex> tails)
        {
            var totalBytes = (long)transfer.SizeBytes;
            var perRankBytes = (long)Math.Ceiling(totalBytes / (double)_ranks);
            var targets = new List<Cloned>();
            foreach (var target in _source.Children(transfer))
            {
                yield return target;
                targets.Add(_returned!);
            }

            if (targets.Count == 0)
            {
                yield break;
            }

            for (var r = 0; r < tails.Count; r++)
            {
                var tail = tails[r];
                var edge = Graph.Add(new RewritableVertex(RewritableVertexType.Communication, $"{transfer.Name}_rank{r}", NextOpId())
                {
                    SizeBytes = perRankBytes,
                    Kind = CollectiveKind.PointToPoint,
                    Participants = 2,
                    Axis = ParallelismAxis.Pp,
                    IsCrossLayer = true,
                });
                Graph.Connect(tail, edge);
                var anchor = NearestComputeAncestor(tail);
                if (anchor is not null && !ReferenceEquals(anchor, tail))
                {
                    // The rank's last op also feeds the transfer directly, not only through its collective.
                    Graph.Connect(anchor, edge);
                }

                foreach (var target in targets)
                {
                    Graph.Connect(edge, target.IsPerRank ? target.Items[r % target.Items.Count] : target.Items[0]);
                }
            }
        }

        /// <summary>An expert-parallel collective leaving the layer: one copy per rank, each feeding the collective's children.</summary>
        private IEnumerable<GraphVertex> ReplicateExpertCollective(CommunicationVertex expertSync, List<RewritableVertex> tails)
        {
            var copies = PerRankCollectives(expertSync, tails);
            foreach (var grandchild in _source.Children(expertSync))
            {
                yield return grandchild;
                Attach(copies, _returned!.Items);
            }
        }

        /// <summary>Any other child runs after every chain; a per-rank optimizer step follows its own rank's chain only.</summary>
        private IEnumerable<GraphVertex> AttachAfterChains(GraphVertex child, List<RewritableVertex> tails)
        {
            yield return child;
            var childClone = _returned!;
            if (child is ComputeVertex { Role: VertexRole.Optimizer } && childClone.IsPerRank && childClone.Items.Count == tails.Count)
            {
                for (var r = 0; r < tails.Count; r++)
                {
                    Graph.Connect(tails[r], childClone.Items[r]);
                }

                yield break;
            }

            Attach(tails, childClone.Items);
        }

        /// <summary>One copy of a layer's collective per rank, each issued from that rank's device after its chain.</summary>
        private List<RewritableVertex> PerRankCollectives(CommunicationVertex collective, List<RewritableVertex> tails)
        {
            var copies = new List<RewritableVertex>(tails.Count);
            for (var r = 0; r < tails.Count; r++)
            {
                var tail = tails[r];
                var copy = Graph.Add(new RewritableVertex(RewritableVertexType.Communication, collective.Name, NextOpId())
                {
                    DurationSeconds = _durations[collective],
                    SizeBytes = collective.SizeBytes,
                    Kind = collective.Kind,
                    Participants = collective.Participants,
                    Axis = collective.Axis,
                    LocalHardwareId = tail.Type == RewritableVertexType.Compute ? tail.HardwareId : tail.LocalHardwareId,
                    Stage = collective.Stage,
                    TpRank = r,
                });
                Graph.Connect(tail, copy);
                copies.Add(copy);
            }

            _cache[collective] = new Cloned(copies);
            return copies;
        }

        private static RewritableVertex? NearestComputeAncestor(RewritableVertex start)
        {
            var seen = new HashSet<RewritableVertex>(ReferenceEqualityComparer.Instance);
            var current = start;
            while (current is not null && seen.Add(current))
            {
                if (current.Type == RewritableVertexType.Compute)
                {
                    return current;
                }

                current = current.Parents.Count > 0 ? current.Parents[^1].Parent : null;
            }

            return null;
        }

        private bool ShouldShard(GraphVertex vertex) =>
            _ranks > 1 && _input.ZeroStage >= 3 && vertex is CommunicationVertex { TpShard: true };

        /// <summary>Siblings (children of the vertex's parents) that are per-rank ZeRO-3 gathers, in parent then child order.</summary>
        private IEnumerable<CommunicationVertex> ShardedSiblings(GraphVertex vertex)
        {
            var found = new List<CommunicationVertex>();
            foreach (var parent in _source.Parents(vertex))
            {
                foreach (var sibling in _source.Children(parent))
                {
                    if (!ReferenceEquals(sibling, vertex) && ShouldShard(sibling))
                    {
                        found.Add((CommunicationVertex)sibling);
                    }
                }
            }

            return found;
        }

        private RewritableVertex NewGather(CommunicationVertex gather, int rank) =>
            Graph.Add(new RewritableVertex(RewritableVertexType.Communication, $"{gather.Name}_rank{rank}", NextOpId())
            {
                IsDataParallel = true,
                SizeBytes = (long)gather.SizeBytes,
                Kind = gather.Kind,
                Participants = gather.Participants,
                Axis = gather.Axis,
                TpRank = rank,
                Stage = gather.Stage,
                TpShard = true,
            });

        /// <summary>Per-rank copies placed on given devices (for embedding / LM-head vertices); children are wired later.</summary>
        private List<RewritableVertex> PerRankGathersOnDevices(CommunicationVertex gather, int[] deviceIds)
        {
            var list = new List<RewritableVertex>(deviceIds.Length);
            for (var r = 0; r < deviceIds.Length; r++)
            {
                var copy = NewGather(gather, r);
                copy.LocalHardwareId = deviceIds[r];
                list.Add(copy);
            }

            return list;
        }

        /// <summary>
        /// Per-rank copies anchored on the per-rank chains: each copy takes over the children of rank r's
        /// tail and is issued from that rank's device (shifted by one stage when the gather belongs to
        /// another stage: one stage down for backward gathers, one up otherwise, as in the reference).
        /// </summary>
        private List<RewritableVertex> PerRankGathersOnChains(CommunicationVertex gather, List<RewritableVertex> heads, List<RewritableVertex> tails, bool crossDevice)
        {
            // The anchors are always the tails, whichever way the gather serves.
            _ = heads;
            var offset = gather.Direction == PassDirection.Backward ? -_ranks : _ranks;
            var list = new List<RewritableVertex>(tails.Count);
            for (var r = 0; r < tails.Count; r++)
            {
                var anchor = tails[r];
                var copy = NewGather(gather, r);
                int? device = anchor.Type == RewritableVertexType.Compute ? anchor.HardwareId : anchor.LocalHardwareId;
                copy.LocalHardwareId = crossDevice ? device + offset : device;
                foreach (var child in RewritableGraph.ChildrenOf(anchor))
                {
                    Graph.Connect(copy, child);
                }

                list.Add(copy);
            }

            return list;
        }

        private void Attach(IReadOnlyList<RewritableVertex> parents, IReadOnlyList<RewritableVertex> children)
        {
            foreach (var p in parents)
            {
                foreach (var c in children)
                {
                    Graph.Connect(p, c);
                }
            }
        }

        /// <summary>
        /// Gives each non-pipeline communication the device of its first placed parent (or rank 0 of its
        /// stage), visiting in the reference's order: a LIFO stack over children then parents. A parent
        /// communication's device counts only if it was already placed, so the order matters.
        /// </summary>
        public void PropagateLocalHardwareIds(RewritableVertex root)
        {
            var stack = new Stack<RewritableVertex>();
            stack.Push(root);
            var seen = new HashSet<RewritableVertex>(ReferenceEqualityComparer.Instance);
            while (stack.Count > 0)
            {
                var v = stack.Pop();
                if (!seen.Add(v))
                {
                    continue;
                }

                foreach (var e in v.Children)
                {
                    stack.Push(e.Child);
                }

                foreach (var e in v.Parents)
                {
                    stack.Push(e.Parent);
                }

                if (v.Type != RewritableVertexType.Communication || v.IsPipelineTransfer || (v.TpShard && v.TpRank is not null))
                {
                    continue;
                }

                int? device = null;
                foreach (var e in v.Parents)
                {
                    var p = e.Parent;
                    int? candidate = p.Type switch
                    {
                        RewritableVertexType.Compute => p.HardwareId,
                        RewritableVertexType.Communication => p.LocalHardwareId,
                        _ => null,
                    };
                    if (candidate is >= 0)
                    {
                        device = candidate;
                        break;
                    }
                }

                if (device is null && v.Stage is { } stage)
                {
                    device = HardwareId(stage, 0);
                }

                if (device is >= 0)
                {
                    v.LocalHardwareId = device;
                }
            }
        }
    }
}
