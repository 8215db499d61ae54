using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Network;

namespace RapidLlm.Memory;

/// <summary>
/// Which compute vertices of a timed pipeline graph run, and which the root reaches, on rank 0 and on the other ranks of
/// their stage once the flattener has split ZeRO-3 parameter gathers per rank (<see cref="PipelineGraphFlattener"/>):
/// its walk wires some gather copies to the chains' successors without ever giving them a predecessor, so those
/// successors, and everything after them, never run.
/// </summary>
/// <remarks>
/// <para>
/// The walk here is the flattener's clone walk (the same visiting order, cache and wiring: chains, stage transfers per
/// rank, data-parallel collectives off rank 0's tail, per-rank gathers on chains and on devices, optimizer copies), over a
/// skeleton in which each rank's chain of a layer's operations is one node. Nothing enters a chain but through its first
/// operation and every later operation waits for the one before (the overlap rewrite splits and rewires only inside a
/// chain), so a chain runs, and is reached, whole or not at all, as its node does.
/// </para>
/// <para>
/// Ranks 1… of a stage are treated alike by every step of the walk (only rank 0 is special: it issues the data-parallel
/// collectives and runs the LM head), so renumbering them maps the per-rank graph onto itself. Whether a vertex runs (all
/// its predecessors ran) or is reached (some predecessor is) is therefore the same for all of them, and the walk keeps two
/// ranks: rank 0 and one that stands for the others. The wiring between those two is that of a two-rank graph, which is
/// the per-rank graph with ranks 1… merged.
/// </para>
/// </remarks>
internal sealed class ShardedGatherLiveness
{
    private const int Ranks = 2;

    private readonly bool[] _runs;
    private readonly bool[] _reached;

    private ShardedGatherLiveness(bool[] runs, bool[] reached)
    {
        _runs = runs;
        _reached = reached;
    }

    /// <summary>Whether the pipeline compute vertex runs on rank <paramref name="rank"/> of its stage (for a vertex placed on one rank: whether it runs).</summary>
    public bool Runs(ComputeVertex vertex, int rank) => _runs[Slot(vertex.Index, rank)];

    /// <summary>Whether the root reaches the pipeline compute vertex's copy on rank <paramref name="rank"/> of its stage.</summary>
    public bool Reached(ComputeVertex vertex, int rank) => _reached[Slot(vertex.Index, rank)];

    private static int Slot(int index, int rank) => (index * Ranks) + Math.Min(rank, Ranks - 1);

    /// <summary>Walks the pipeline graph as the flattener does with more than one rank per stage and ZeRO stage <paramref name="zeroStage"/>.</summary>
    public static ShardedGatherLiveness Of(PipelineAdjacency pipeline, GraphVertex root, int zeroStage, bool perRankExpertCollectives)
    {
        var walk = new Walk(pipeline, zeroStage, perRankExpertCollectives);
        var skeletonRoot = walk.Build(root);
        var count = pipeline.Count * Ranks;
        var runs = new bool[count];
        var reached = new bool[count];
        walk.Skeleton.Mark(skeletonRoot, walk.NodeOf, runs, reached);
        return new ShardedGatherLiveness(runs, reached);
    }

    /// <summary>The per-rank graph reduced to its dependencies: one node per clone, a rank's chain of a layer one node.</summary>
    private sealed class SkeletonGraph
    {
        private int[] _firstChild = new int[256];
        private int[] _parents = new int[256];
        private int[] _edgeTarget = new int[512];
        private int[] _edgeNext = new int[512];
        private int _edges;

        public int Count { get; private set; }

        public int Add()
        {
            if (Count == _firstChild.Length)
            {
                Array.Resize(ref _firstChild, Count * 2);
                Array.Resize(ref _parents, Count * 2);
            }

            _firstChild[Count] = -1;
            _parents[Count] = 0;
            return Count++;
        }

        public void Connect(int parent, int child)
        {
            if (_edges == _edgeTarget.Length)
            {
                Array.Resize(ref _edgeTarget, _edges * 2);
                Array.Resize(ref _edgeNext, _edges * 2);
            }

            _edgeTarget[_edges] = child;
            _edgeNext[_edges] = _firstChild[parent];
            _firstChild[parent] = _edges++;
            _parents[child]++;
        }

        /// <summary>Makes <paramref name="node"/> a parent of every child <paramref name="of"/> has so far (another node).</summary>
        public void ConnectToChildrenOf(int node, int of)
        {
            // New edges leave node, not of, so of's list does not change while it is walked.
            for (var e = _firstChild[of]; e >= 0; e = _edgeNext[e]) Connect(node, _edgeTarget[e]);
        }

        /// <summary>
        /// Marks what runs (the root, then every node whose predecessors all ran, as the event simulation starts them) and
        /// what the root reaches, for the nodes that stand for pipeline compute vertices.
        /// </summary>
        public void Mark(int root, int[] nodeOf, bool[] runs, bool[] reached)
        {
            var ran = new bool[Count];
            var seen = new bool[Count];
            var pending = new int[Count];
            Array.Copy(_parents, pending, Count);
            var stack = new Stack<int>();
            ran[root] = true;
            stack.Push(root);
            while (stack.Count > 0)
            {
                var v = stack.Pop();
                for (var e = _firstChild[v]; e >= 0; e = _edgeNext[e])
                {
                    var c = _edgeTarget[e];
                    if (--pending[c] == 0)
                    {
                        ran[c] = true;
                        stack.Push(c);
                    }
                }
            }

            seen[root] = true;
            stack.Push(root);
            while (stack.Count > 0)
            {
                var v = stack.Pop();
                for (var e = _firstChild[v]; e >= 0; e = _edgeNext[e])
                {
                    var c = _edgeTarget[e];
                    if (!seen[c])
                    {
                        seen[c] = true;
                        stack.Push(c);
                    }
                }
            }

            for (var slot = 0; slot < nodeOf.Length; slot++)
            {
                if (nodeOf[slot] is var node and >= 0)
                {
                    runs[slot] = ran[node];
                    reached[slot] = seen[node];
                }
            }
        }
    }

    /// <summary>The clone of one pipeline vertex: one node, or one per rank.</summary>
    private readonly record struct Cloned(int First, int Second, bool IsPerRank)
    {
        public static Cloned Single(int node) => new(node, -1, false);

        public static Cloned PerRank(int rank0, int rank1) => new(rank0, rank1, true);

        public int Count => IsPerRank ? Ranks : 1;

        public int this[int i] => i == 0 ? First : Second;
    }

    /// <summary>The flattener's clone walk over the skeleton (see <c>PipelineGraphFlattener.FlatteningRun</c>): the same order, cache and wiring.</summary>
    private sealed class Walk
    {
        private readonly PipelineAdjacency _source;
        private readonly IReadOnlyList<GraphVertex> _vertices;
        private readonly int _zeroStage;
        private readonly bool _perRankExpertCollectives;
        private readonly Cloned[] _cache;
        private readonly bool[] _cached;
        private Cloned _returned;
        private bool _hasReturned;

        public Walk(PipelineAdjacency source, int zeroStage, bool perRankExpertCollectives)
        {
            _source = source;
            _vertices = source.Graph.Vertices;
            _zeroStage = zeroStage;
            _perRankExpertCollectives = perRankExpertCollectives;
            var n = source.Count;
            _cache = new Cloned[n];
            _cached = new bool[n];
            NodeOf = new int[n * Ranks];
            Array.Fill(NodeOf, -1);
        }

        public SkeletonGraph Skeleton { get; } = new();

        /// <summary>The node of each pipeline compute vertex per rank (-1: none), at <see cref="Slot"/>.</summary>
        public int[] NodeOf { get; }

        public int Build(GraphVertex root)
        {
            CloneWalk.Run(root, Clone);

            if (!_hasReturned || _returned.IsPerRank)
            {
                throw new InvalidOperationException("The pipeline root must be one vertex, not a transformer layer or optimizer step.");
            }

            return _returned.First;
        }

        private void Return(Cloned clone)
        {
            _returned = clone;
            _hasReturned = true;
        }

        private void Cache(GraphVertex source, Cloned clone)
        {
            _cache[source.Index] = clone;
            _cached[source.Index] = true;
        }

        private IEnumerable<GraphVertex> Clone(GraphVertex source)
        {
            if (_cached[source.Index])
            {
                Return(_cache[source.Index]);
                return [];
            }

            return source switch
            {
                ComputeVertex { Role: VertexRole.TransformerLayer } c => ExpandLayer(c),
                ComputeVertex { Role: VertexRole.Optimizer } c => CloneOptimizer(c),
                ComputeVertex c => CloneCompute(c),
                CommunicationVertex or RootVertex => CloneSingle(source),
                _ => throw new InvalidOperationException($"Unsupported vertex {source}."),
            };
        }

        private IEnumerable<GraphVertex> CloneSingle(GraphVertex source)
        {
            var result = Cloned.Single(Skeleton.Add());
            Cache(source, result);
            foreach (var child in Children(source))
            {
                yield return child;
                Attach(result, _returned);
            }

            Return(result);
        }

        private int NewCompute(ComputeVertex source, int rank)
        {
            var node = Skeleton.Add();
            NodeOf[Slot(source.Index, rank)] = node;
            return node;
        }

        private Cloned PerRankCompute(ComputeVertex source) => Cloned.PerRank(NewCompute(source, 0), NewCompute(source, 1));

        private IEnumerable<GraphVertex> CloneOptimizer(ComputeVertex source)
        {
            var result = PerRankCompute(source);
            Cache(source, result);
            foreach (var child in Children(source))
            {
                yield return child;
                Attach(result, _returned);
            }

            Return(result);
        }

        private IEnumerable<GraphVertex> CloneCompute(ComputeVertex source)
        {
            // Placed on one rank (rank 0 of its stage, or its own device); both slots name the one node.
            var node = NewCompute(source, 0);
            NodeOf[Slot(source.Index, 1)] = node;
            Cloned? gathers = null;
            var siblings = ShardedSiblings(source);
            for (var i = 0; i < siblings.Count; i++)
            {
                // Only the last sibling's copies gate this vertex's children (as in the flattener).
                var copies = Cloned.PerRank(Skeleton.Add(), Skeleton.Add());
                gathers = copies;
                Cache(siblings[i], copies);
            }

            var result = Cloned.Single(node);
            Cache(source, result);
            foreach (var child in Children(source))
            {
                yield return child;
                var childClone = _returned;
                if (gathers is { } g) Attach(g, childClone);
                Attach(result, childClone);
            }

            Return(result);
        }

        private IEnumerable<GraphVertex> ExpandLayer(ComputeVertex layer)
        {
            var chains = PerRankCompute(layer);
            var siblings = ShardedSiblings(layer);
            foreach (var request in AttachLayerChildren(layer, chains))
            {
                yield return request;
            }

            for (var i = 0; i < siblings.Count; i++)
            {
                Cache(siblings[i], GathersOnChains(chains));
            }

            Cache(layer, chains);
            Return(chains);
        }

        private IEnumerable<GraphVertex> AttachLayerChildren(ComputeVertex layer, Cloned tails)
        {
            var dataParallel = new List<GraphVertex>();
            var others = new List<GraphVertex>();
            foreach (var child in Children(layer))
            {
                (child is CommunicationVertex { Axis: ParallelismAxis.Dp } ? dataParallel : others).Add(child);
            }

            foreach (var child in dataParallel)
            {
                // The flattener builds these copies, wired to what the tails feed so far, and drops them.
                if (ShouldShard(child)) _ = GathersOnChains(tails);
                yield return child;
                Attach(Cloned.Single(tails.First), _returned);
            }

            foreach (var child in others)
            {
                var requests = child switch
                {
                    CommunicationVertex { Kind: CollectiveKind.PointToPoint } transfer => ReplicateStageTransfer(transfer, tails),
                    CommunicationVertex { Axis: ParallelismAxis.Ep, Kind: not CollectiveKind.PointToPoint } expertSync
                        when _perRankExpertCollectives => ReplicateExpertCollective(expertSync, tails),
                    _ => AttachAfterChains(child, tails),
                };
                foreach (var request in requests)
                {
                    yield return request;
                }
            }
        }

        private IEnumerable<GraphVertex> ReplicateStageTransfer(CommunicationVertex transfer, Cloned tails)
        {
            var targets = new List<Cloned>();
            foreach (var target in Children(transfer))
            {
                yield return target;
                targets.Add(_returned);
            }

            if (targets.Count == 0) yield break;
            for (var r = 0; r < Ranks; r++)
            {
                // The edge from the rank's last operation to the copy runs parallel to the one from its chain's tail.
                var copy = Skeleton.Add();
                Skeleton.Connect(tails[r], copy);
                foreach (var target in targets)
                {
                    Skeleton.Connect(copy, target.IsPerRank ? target[r] : target.First);
                }
            }
        }

        private IEnumerable<GraphVertex> ReplicateExpertCollective(CommunicationVertex expertSync, Cloned tails)
        {
            var copies = Cloned.PerRank(Skeleton.Add(), Skeleton.Add());
            Skeleton.Connect(tails[0], copies[0]);
            Skeleton.Connect(tails[1], copies[1]);
            Cache(expertSync, copies);
            foreach (var grandchild in Children(expertSync))
            {
                yield return grandchild;
                Attach(copies, _returned);
            }
        }

        private IEnumerable<GraphVertex> AttachAfterChains(GraphVertex child, Cloned tails)
        {
            yield return child;
            var childClone = _returned;
            if (child is ComputeVertex { Role: VertexRole.Optimizer } && childClone.IsPerRank)
            {
                Skeleton.Connect(tails[0], childClone[0]);
                Skeleton.Connect(tails[1], childClone[1]);
                yield break;
            }

            Attach(tails, childClone);
        }

        /// <summary>The vertex's children in list order.</summary>
        private IEnumerable<GraphVertex> Children(GraphVertex vertex)
        {
            for (var e = _source.FirstChild(vertex.Index); e < _source.EndChild(vertex.Index); e++) yield return _vertices[_source.Child(e)];
        }

        private bool ShouldShard(GraphVertex vertex) => _zeroStage >= 3 && vertex is CommunicationVertex { TpShard: true };

        /// <summary>Siblings (children of the vertex's parents) that are per-rank ZeRO-3 gathers, in parent then child order.</summary>
        private IReadOnlyList<GraphVertex> ShardedSiblings(GraphVertex vertex)
        {
            List<GraphVertex>? found = null;
            foreach (var parent in _source.Graph.Parents(vertex))
            {
                for (var e = _source.FirstChild(parent.Index); e < _source.EndChild(parent.Index); e++)
                {
                    var sibling = _vertices[_source.Child(e)];
                    if (!ReferenceEquals(sibling, vertex) && ShouldShard(sibling)) (found ??= []).Add(sibling);
                }
            }

            return found ?? (IReadOnlyList<GraphVertex>)Array.Empty<GraphVertex>();
        }

        /// <summary>Per-rank gather copies, each feeding what rank r's chain feeds so far and fed by nothing yet.</summary>
        private Cloned GathersOnChains(Cloned tails)
        {
            var copies = Cloned.PerRank(Skeleton.Add(), Skeleton.Add());
            for (var r = 0; r < Ranks; r++) Skeleton.ConnectToChildrenOf(copies[r], tails[r]);

            return copies;
        }

        private void Attach(Cloned parents, Cloned children)
        {
            for (var p = 0; p < parents.Count; p++)
            {
                for (var c = 0; c < children.Count; c++) Skeleton.Connect(parents[p], children[c]);
            }
        }
    }
}
