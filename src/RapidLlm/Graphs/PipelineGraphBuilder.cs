using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Network;

namespace RapidLlm.Graphs;

/// <summary>
/// Builds the pipeline graph of one training iteration or one forward pass. Under GPipe (all forwards, then all
/// backwards in reverse micro-batch order) vertex names, op ids, device ids and the order of every parent/child list
/// follow the reference's <c>construct_fwd_bwd_graph</c>, because the simulator's tie-breaking depends on them. Under
/// 1F1B and interleaved 1F1B the same vertices are built (interleaved places layers round-robin in model chunks) and
/// each stage's work is chained in the schedule's order (<see cref="PipelineScheduleOrder"/>), so every backend that
/// runs the graph runs the schedule. Devices are pipeline stages: tp/cp ranks are collapsed.
/// </summary>
internal static class PipelineGraphBuilder
{
    /// <summary>Builds the graph; its <see cref="ExecutionGraph.Root"/> is the first vertex to run.</summary>
    /// <param name="input">The graph description.</param>
    /// <returns>A graph whose communication vertices still have zero duration (see <see cref="CommunicationTimingPass"/>).</returns>
    public static ExecutionGraph Build(PipelineGraphInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.LayerCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(input), "A pipeline graph needs at least one layer.");
        }

        if (input.MicroBatches < 1 || input.PipelineStages < 1 || input.DataParallel < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(input), "Micro-batches, stages and dp must be at least 1.");
        }

        return new Construction(input).Run();
    }

    /// <summary>
    /// Stage of every layer with <paramref name="chunksPerStage"/> model chunks per stage (interleaved 1F1B): the layers
    /// form p·v equal virtual stages in order and virtual stage j runs on stage j mod p. One chunk per stage gives
    /// <see cref="StageOfLayers(int, int)"/>.
    /// </summary>
    /// <param name="layerCount">Layers (a multiple of stages × chunks when there is more than one chunk).</param>
    /// <param name="stageCount">Stages.</param>
    /// <param name="chunksPerStage">Model chunks per stage.</param>
    /// <returns>Stage index per layer.</returns>
    public static int[] StageOfLayers(int layerCount, int stageCount, int chunksPerStage)
    {
        if (chunksPerStage <= 1)
        {
            return StageOfLayers(layerCount, stageCount);
        }

        var stages = Math.Max(1, stageCount);
        var virtualStages = stages * chunksPerStage;
        if (layerCount % virtualStages != 0)
        {
            throw new ArgumentException($"{layerCount} layers do not split into {stages} stages × {chunksPerStage} chunks.", nameof(layerCount));
        }

        var perChunk = layerCount / virtualStages;
        var result = new int[layerCount];
        for (var l = 0; l < layerCount; l++)
        {
            result[l] = l / perChunk % stages;
        }

        return result;
    }

    /// <summary>Stage of every layer: contiguous blocks, the first <c>L % pp</c> stages get one extra layer.</summary>
    /// <param name="layerCount">Layers.</param>
    /// <param name="stageCount">Stages.</param>
    /// <returns>Stage index per layer.</returns>
    public static int[] StageOfLayers(int layerCount, int stageCount)
    {
        var stages = Math.Max(1, stageCount);
        var baseCount = layerCount / stages;
        var remainder = layerCount % stages;
        var result = new int[layerCount];
        var layer = 0;
        for (var stage = 0; stage < stages; stage++)
        {
            var count = baseCount + (stage < remainder ? 1 : 0);
            for (var i = 0; i < count; i++)
            {
                result[layer++] = stage;
            }
        }

        return result;
    }

    /// <summary>Mutable state of one build; one instance per call keeps builds thread-safe.</summary>
    private sealed class Construction
    {
        private readonly PipelineGraphInput _in;
        private readonly PipelineCommunications _comms;
        private readonly ExecutionGraph _g;
        private readonly int _layers;
        private readonly int _microBatches;
        private readonly int _lastStage;
        private readonly int[] _stageOf;
        private readonly string _blockPrefix;
        private readonly bool _recompute;

        // GPipe is the reference's construction; other schedules replace its micro-batch links by the schedule's order.
        private readonly bool _gpipe;
        private readonly int _chunks;

        // Micro-batch whose backward runs first / last on every stage (GPipe reverses the micro-batches).
        private readonly int _firstBackward;
        private readonly int _lastBackward;
        private readonly List<GraphVertex>[] _stageGradientSyncs;
        private readonly GraphVertex?[] _stageLastWork;
        private int _opId;

        private readonly ComputeVertex[] _embedding;
        private readonly ComputeVertex[] _softmax;
        private readonly ComputeVertex[][] _layerFwd;
        private ComputeVertex[] _embeddingBwd = [];
        private ComputeVertex[] _softmaxBwd = [];
        private ComputeVertex[][] _layerBwd = [];
        private ComputeVertex?[][] _recomputeBwd = [];

        public Construction(PipelineGraphInput input)
        {
            _in = input;
            _comms = input.Communications;
            _layers = input.LayerCount;
            _microBatches = input.MicroBatches;
            _lastStage = input.PipelineStages - 1;
            _g = new ExecutionGraph(input.PipelineStages, ExpectedVertices(input));
            _gpipe = !input.IncludeBackward || input.Schedule.Kind == PipelineScheduleKind.GPipe;
            _chunks = _gpipe ? 1 : input.Schedule.ChunksPerStage;
            _stageOf = StageOfLayers(_layers, input.PipelineStages, _chunks);
            _firstBackward = _gpipe ? _microBatches - 1 : 0;
            _lastBackward = _gpipe ? 0 : _microBatches - 1;
            _stageGradientSyncs = new List<GraphVertex>[input.PipelineStages];
            for (var s = 0; s < input.PipelineStages; s++)
            {
                _stageGradientSyncs[s] = [];
            }

            _stageLastWork = new GraphVertex?[input.PipelineStages];
            _blockPrefix = input.VisionBlockNames ? "vit_block" : "transformer_layer";
            _recompute = input.IncludeBackward && input.FullRecompute;
            _embedding = new ComputeVertex[_microBatches];
            _softmax = new ComputeVertex[_microBatches];
            _layerFwd = new ComputeVertex[_microBatches][];
        }

        /// <summary>About how many vertices the graph gets (forward and backward chains, gradient syncs), to size it once.</summary>
        private static int ExpectedVertices(PipelineGraphInput input)
        {
            var layers = input.LayerCount;
            var perMicroBatch = (2 * layers) + 3;
            if (input.IncludeBackward)
            {
                perMicroBatch += (2 * layers) + 3 + (input.FullRecompute ? layers : 0) + (input.DataParallel > 1 ? layers + 2 : 0);
            }

            return (int)Math.Min(1 << 24, ((long)input.MicroBatches * perMicroBatch) + input.PipelineStages + 1);
        }

        public ExecutionGraph Run()
        {
            for (var b = 0; b < _microBatches; b++)
            {
                BuildForwardMicroBatch(b);
            }

            if (_gpipe)
            {
                LinkForwardMicroBatches();
            }

            if (!_in.IncludeBackward)
            {
                _g.DesignateRoot(_embedding[0]);
                return _g;
            }

            _embeddingBwd = new ComputeVertex[_microBatches];
            _softmaxBwd = new ComputeVertex[_microBatches];
            _layerBwd = new ComputeVertex[_microBatches][];
            _recomputeBwd = new ComputeVertex?[_microBatches][];
            for (var b = _microBatches - 1; b >= 0; b--)
            {
                BuildBackwardMicroBatch(b);
            }

            if (!_gpipe)
            {
                // Before the data-parallel and ZeRO edges, so prefetch gathers inherit each stage's order, as GPipe's
                // gathers inherit its micro-batch links.
                LinkStagesInScheduleOrder();
            }

            GraphVertex root = _embedding[0];
            if (_comms.Zero3EmbeddingGather is { } zero3Embedding)
            {
                var entry = Comm("zero3_embedding_gather_b0_fwd_entry", zero3Embedding, isDp: true, localHw: _embedding[0].HardwareId, direction: PassDirection.Forward);
                _g.Connect(entry, _embedding[0]);
                root = entry;
            }

            for (var b = 0; b < _microBatches; b++)
            {
                if (!AddDataParallelEdges(b))
                {
                    continue;
                }

                AddExpertParallelEdges(b);
            }

            if (_gpipe)
            {
                LinkBackwardMicroBatches();
            }

            AddZero3BackwardGathers();
            if (_in.IncludeOptimizer)
            {
                AddOptimizers();
            }

            _g.DesignateRoot(root);
            return _g;
        }

        private bool IsMoe(int layer) => layer < _in.MoeLayerMask.Count && _in.MoeLayerMask[layer];

        private double ForwardSeconds(int layer) => IsMoe(layer)
            ? _in.Durations.MoeTransformerForwardSeconds ?? _in.Durations.TransformerForwardSeconds
            : _in.Durations.TransformerForwardSeconds;

        private double BackwardSeconds(int layer) => IsMoe(layer)
            ? _in.Durations.MoeTransformerBackwardSeconds ?? _in.Durations.TransformerBackwardSeconds
            : _in.Durations.TransformerBackwardSeconds;

        private CommunicationVertex Comm(VertexName name, CommunicationSpec spec, bool isDp = false, int? localHw = null, PassDirection? direction = null) =>
            _g.Add(new CommunicationVertex(name, _opId++, spec.Kind, spec.SizeBytes, spec.Participants, spec.Axis)
            {
                IsDataParallel = isDp,
                LocalHardwareId = localHw,
                TpShard = spec.TpShard,
                Direction = direction,
            });

        /// <summary>A zero-time link on one device, or the cross-stage transfer when the devices differ.</summary>
        private CommunicationVertex Link(string sameDeviceName, int fromHw, int toHw) =>
            fromHw == toHw
                ? _g.Add(CommunicationVertex.OrderingLink(sameDeviceName, _opId++))
                : Comm("cross_layer", _comms.CrossLayer);

        private ComputeVertex Compute(VertexName name, int hw, double seconds, bool forward, VertexMemoryKind kind, VertexRole role) =>
            _g.Add(new ComputeVertex(name, _opId++, hw, seconds) { IsForward = forward, MemoryKind = kind, Role = role });

        private ComputeVertex LayerVertex(VertexName name, int b, int layer, double seconds, bool forward, bool recompute) =>
            _g.Add(new ComputeVertex(name, _opId++, _stageOf[layer], seconds)
            {
                IsForward = forward,
                MemoryKind = VertexMemoryKind.Transformer,
                Role = VertexRole.TransformerLayer,
                IsRecompute = recompute,
                MicroBatch = b,
                Layer = layer,
                Direction = forward ? PassDirection.Forward : PassDirection.Backward,
                Stage = _stageOf[layer],
                IsMoeLayer = IsMoe(layer),
            });

        private void BuildForwardMicroBatch(int b)
        {
            var softmax = Compute(new VertexName("linear_softmax", b), _lastStage, _in.Durations.LinearSoftmaxForwardSeconds, true, VertexMemoryKind.Softmax, VertexRole.LmHead);
            var embedding = Compute(new VertexName("embedding", b), 0, _in.Durations.EmbeddingForwardSeconds, true, VertexMemoryKind.Embedding, VertexRole.Embedding);
            _softmax[b] = softmax;
            _embedding[b] = embedding;
            var layers = new ComputeVertex[_layers];
            for (var l = 0; l < _layers; l++)
            {
                layers[l] = LayerVertex(new VertexName(_blockPrefix, l), b, l, ForwardSeconds(l), forward: true, recompute: false);
            }

            _layerFwd[b] = layers;
            for (var l = 1; l < _layers; l++)
            {
                var edge = Link("cross_layer", layers[l - 1].HardwareId, layers[l].HardwareId);
                _g.Connect(layers[l - 1], edge);
                _g.Connect(edge, layers[l]);
            }

            var first = Link("Emb_node0", embedding.HardwareId, layers[0].HardwareId);
            _g.Connect(embedding, first);
            _g.Connect(first, layers[0]);

            var last = Link("node_Softmax", layers[_layers - 1].HardwareId, softmax.HardwareId);
            _g.Connect(layers[_layers - 1], last);
            _g.Connect(last, softmax);
        }

        /// <summary>GPipe order in forward: each stage finishes micro-batch b before starting b+1.</summary>
        private void LinkForwardMicroBatches()
        {
            for (var b = 0; b < _microBatches - 1; b++)
            {
                var stageFirstLayers = new List<int> { 0 };
                var stage0Released = false;
                for (var l = 0; l < _layers - 1; l++)
                {
                    var here = _layerFwd[b][l];
                    if (here.HardwareId == _layerFwd[b][l + 1].HardwareId)
                    {
                        continue;
                    }

                    stageFirstLayers.Add(l + 1);
                    if (here.HardwareId == 0)
                    {
                        _g.Connect(here, _embedding[b + 1]);
                        stage0Released = true;
                    }
                    else
                    {
                        // First layer of the stage that 'here' ends (the entry just before the one added).
                        _g.Connect(here, _layerFwd[b + 1][stageFirstLayers[^2]]);
                    }
                }

                if (!stage0Released && _in.PipelineStages == 1 && _in.SingleStageMicroBatches == SingleStageMicroBatchPolicy.Chain)
                {
                    // The reference leaves embedding{b+1} without a predecessor here, so it never runs. Only pp = 1 is
                    // corrected: with more stages than layers (one layer) the reference's timing is kept on purpose.
                    _g.Connect(_softmax[b], _embedding[b + 1]);
                }

                _g.Connect(_softmax[b], _layerFwd[b + 1][stageFirstLayers[^1]]);
            }
        }

        private ComputeVertex BackwardEntry(int b, int layer) => _recomputeBwd[b][layer] ?? _layerBwd[b][layer];

        private void BuildBackwardMicroBatch(int b)
        {
            var embeddingBwd = Compute("embedding_b", 0, _in.Durations.EmbeddingBackwardSeconds, false, VertexMemoryKind.Embedding, VertexRole.Embedding);
            var softmaxBwd = Compute("linear_softmax_b", _lastStage, _in.Durations.LinearSoftmaxBackwardSeconds, false, VertexMemoryKind.Softmax, VertexRole.LmHead);
            _embeddingBwd[b] = embeddingBwd;
            _softmaxBwd[b] = softmaxBwd;
            _g.Connect(_softmax[b], softmaxBwd);

            var layers = new ComputeVertex[_layers];
            var replays = new ComputeVertex?[_layers];
            for (var l = _layers - 1; l >= 0; l--)
            {
                if (_recompute)
                {
                    replays[l] = LayerVertex(new VertexName(_blockPrefix, l, "_recompute"), b, l, ForwardSeconds(l), forward: true, recompute: true);
                }

                layers[l] = LayerVertex(new VertexName(_blockPrefix, l, "_b"), b, l, BackwardSeconds(l), forward: false, recompute: false);
                if (replays[l] is { } replay)
                {
                    _g.Connect(replay, layers[l]);
                }
            }

            _layerBwd[b] = layers;
            _recomputeBwd[b] = replays;
            for (var l = _layers - 1; l >= 1; l--)
            {
                var next = BackwardEntry(b, l - 1);
                var edge = Link("cross_layer", layers[l].HardwareId, next.HardwareId);
                _g.Connect(layers[l], edge);
                _g.Connect(edge, next);
            }

            var toEmbedding = Link("Emb_node0", layers[0].HardwareId, embeddingBwd.HardwareId);
            _g.Connect(layers[0], toEmbedding);
            _g.Connect(toEmbedding, embeddingBwd);

            var top = BackwardEntry(b, _layers - 1);
            var fromSoftmax = Link("layernorm2_Softmax", top.HardwareId, softmaxBwd.HardwareId);
            _g.Connect(softmaxBwd, fromSoftmax);
            _g.Connect(fromSoftmax, top);
        }

        /// <summary>Adds DP gradient sync (and ZeRO gathers) for micro-batch b; false when b is skipped.</summary>
        private bool AddDataParallelEdges(int b)
        {
            if (_in.DataParallel <= 1)
            {
                return true;
            }

            var everyMicroBatch = _in.DataParallelSync != DataParallelSyncMode.LastMicroBatch || _in.ZeroStage >= 3;
            if (!everyMicroBatch && b != _lastBackward)
            {
                return false;
            }

            var reducers = new List<CommunicationVertex>(_layers + 2);
            var embeddingSync = Comm("embedding", Required(_comms.EmbeddingSync, "embedding"), isDp: true);
            reducers.Add(embeddingSync);
            string postfix;
            if (_comms.Zero2EmbeddingGather is { } zero2Embedding)
            {
                postfix = "_reduce_scatter";
                var gather = Comm("zero2_embedding_gather", zero2Embedding, isDp: true, localHw: _embedding[b].HardwareId);
                _g.Connect(embeddingSync, gather);
            }
            else
            {
                postfix = _comms.Zero3EmbeddingGather is not null ? "_reduce_scatter" : "_all_reduce";
            }

            for (var l = 0; l < _layers; l++)
            {
                var spec = IsMoe(l)
                    ? _comms.TransformerMoeSync ?? Required(_comms.TransformerDenseSync, "transformer_dense")
                    : Required(_comms.TransformerDenseSync, "transformer_dense");
                var hw = _layerBwd[b][l].HardwareId;
                var reducer = Comm(new VertexName("transformer_b", b, "_layer", l, postfix), spec, isDp: true, localHw: hw);
                reducers.Add(reducer);
                if (_comms.Zero2TransformerGather is { } zero2Layer)
                {
                    var gather = Comm("zero2_transformer_gather", zero2Layer, isDp: true, localHw: hw);
                    _g.Connect(reducer, gather);
                }
            }

            if (_comms.Zero3TransformerGather is { } zero3Layer)
            {
                AddZero3ForwardGathers(b, zero3Layer);
            }

            var softmaxSync = Comm("softmax" + postfix, Required(_comms.SoftmaxSync, "softmax"), isDp: true, localHw: _softmax[b].HardwareId);
            reducers.Add(softmaxSync);
            if (_comms.Zero2SoftmaxGather is { } zero2Softmax)
            {
                var gather = Comm("zero2_softmax_gather", zero2Softmax, isDp: true, localHw: _softmax[b].HardwareId);
                _g.Connect(softmaxSync, gather);
            }

            if (_comms.Zero3SoftmaxGather is { } zero3Softmax)
            {
                var host = _layerFwd[b][_layers - 1];
                var gather = Comm(new VertexName("zero3_softmax_gather_b", b, "_fwd"), zero3Softmax, isDp: true, localHw: host.HardwareId, direction: PassDirection.Forward);
                AttachParallel(host, gather, ParallelAttach.All);
            }

            _g.Connect(_softmaxBwd[b], reducers[^1]);
            _g.Connect(_embeddingBwd[b], reducers[0]);
            for (var l = 0; l < _layers; l++)
            {
                _g.Connect(_layerBwd[b][l], reducers[l + 1]);
            }

            _stageGradientSyncs[0].Add(reducers[0]);
            _stageGradientSyncs[_lastStage].Add(reducers[^1]);
            for (var l = 0; l < _layers; l++)
            {
                _stageGradientSyncs[_stageOf[l]].Add(reducers[l + 1]);
            }

            return true;
        }

        /// <summary>ZeRO-3 forward parameter gathers, each prefetched alongside the previous compute.</summary>
        private void AddZero3ForwardGathers(int b, CommunicationSpec zero3Layer)
        {
            CommunicationVertex? nextEmbeddingGather = null;
            if (b < _microBatches - 1)
            {
                nextEmbeddingGather = Comm(
                    new VertexName("zero3_embedding_gather_b", b + 1, "_fwd"),
                    Required(_comms.Zero3EmbeddingGather, "zero3_embedding_gather"),
                    isDp: true,
                    localHw: _embedding[b].HardwareId,
                    direction: PassDirection.Forward);
            }

            var first = Comm(new VertexName("zero3_transformer_gather_b", b, "_layer0_fwd"), zero3Layer, isDp: true, localHw: _embedding[b].HardwareId, direction: PassDirection.Forward);
            AttachParallel(_embedding[b], first, ParallelAttach.All);
            for (var l = 1; l < _layers; l++)
            {
                var host = _layerFwd[b][l - 1];
                var target = _layerFwd[b][l];
                var gather = Comm(new VertexName("zero3_transformer_gather_b", b, "_layer", l, "_fwd"), zero3Layer, isDp: true, localHw: target.HardwareId, direction: PassDirection.Forward);
                AttachAcrossStages(host, target, gather, _gpipe ? nextEmbeddingGather : null);
            }

            if (!_gpipe && nextEmbeddingGather is not null)
            {
                // The reference hangs the next embedding's gather on every stage crossing of this micro-batch, which only
                // works in GPipe's order; otherwise it is fetched alongside the embedding it serves.
                AttachParallel(_embedding[b + 1], nextEmbeddingGather, ParallelAttach.All);
            }
        }

        private void AttachAcrossStages(ComputeVertex host, ComputeVertex target, CommunicationVertex gather, CommunicationVertex? sideGather)
        {
            if (host.HardwareId == target.HardwareId)
            {
                AttachParallel(host, gather, ParallelAttach.All);
                return;
            }

            // Across stages the gather may only gate the stage transfer, not the host's other successors.
            AttachParallel(host, gather, ParallelAttach.PipelineLinksOnly);
            if (sideGather is not null)
            {
                AttachParallel(host, sideGather, ParallelAttach.AllButPipelineLinks);
            }
        }

        private void AddExpertParallelEdges(int b)
        {
            if (_in.ExpertParallel <= 1 || _in.DataParallel <= 1)
            {
                return;
            }

            var everyMicroBatch = _in.DataParallelSync != DataParallelSyncMode.LastMicroBatch || _in.ZeroStage >= 3;
            if (!everyMicroBatch && b != _lastBackward)
            {
                return;
            }

            for (var l = 0; l < _layers; l++)
            {
                var moe = IsMoe(l);
                var spec = moe ? _comms.TransformerMoeEpSync : _comms.TransformerDenseEpSync;
                if (spec is null)
                {
                    continue;
                }

                var head = moe ? "transformer_moe_ep_sync_b" : "transformer_dense_ep_sync_b";
                var exit = _layerBwd[b][l];
                var edge = Comm(new VertexName(head, b, "_layer", l), spec, isDp: false, localHw: exit.HardwareId);
                _g.Connect(exit, edge);
                _stageGradientSyncs[exit.HardwareId].Add(edge);
            }
        }

        /// <summary>GPipe order in backward: micro-batch b's work on a stage precedes b-1's.</summary>
        private void LinkBackwardMicroBatches()
        {
            // Highest layer of each stage below the last (the reference's -1 means the last layer).
            var stageTopLayer = new int[_lastStage + 1];
            Array.Fill(stageTopLayer, -1);
            var stage = _lastStage;
            for (var l = _layers - 1; l >= 1; l--)
            {
                if (_layerBwd[0][l].HardwareId != _layerBwd[0][l - 1].HardwareId)
                {
                    stageTopLayer[stage - 1] = l - 1;
                    stage--;
                }
            }

            for (var b = _microBatches - 1; b >= 1; b--)
            {
                stage = _lastStage;
                var lastStageReleased = false;
                for (var l = _layers - 1; l >= 1; l--)
                {
                    var exit = _layerBwd[b][l];
                    if (exit.HardwareId == _layerBwd[b][l - 1].HardwareId)
                    {
                        continue;
                    }

                    if (exit.HardwareId == _lastStage)
                    {
                        _g.Connect(exit, _softmaxBwd[b - 1]);
                        lastStageReleased = true;
                    }
                    else
                    {
                        _g.Connect(exit, BackwardEntry(b - 1, TopLayer(stageTopLayer[stage])));
                    }

                    stage--;
                }

                if (!lastStageReleased && _in.PipelineStages == 1 && _in.SingleStageMicroBatches == SingleStageMicroBatchPolicy.Chain)
                {
                    // Single stage: without this, micro-batch b-1's LM-head backward could start before
                    // micro-batch b's backward is done, interleaving passes instead of following GPipe.
                    _g.Connect(_embeddingBwd[b], _softmaxBwd[b - 1]);
                }

                _g.Connect(_embeddingBwd[b], BackwardEntry(b - 1, TopLayer(stageTopLayer[0])));
            }
        }

        private int TopLayer(int recorded) => recorded < 0 ? _layers + recorded : recorded;

        private void AddZero3BackwardGathers()
        {
            var zero3Softmax = _comms.Zero3SoftmaxGather;
            var zero3Layer = _comms.Zero3TransformerGather;
            var zero3Embedding = _comms.Zero3EmbeddingGather;
            if (zero3Softmax is not null)
            {
                var entry = Comm("zero3_softmax_gather_b0_bwd_entry", zero3Softmax, isDp: true, localHw: _softmaxBwd[0].HardwareId, direction: PassDirection.Backward);
                // Prefetched alongside the LM head's forward of the micro-batch whose backward comes first.
                AttachParallel(_softmax[_firstBackward], entry, ParallelAttach.All);
            }

            for (var b = 0; b < _microBatches; b++)
            {
                CommunicationVertex? softmaxGather = null;
                if (b != _lastBackward && zero3Softmax is not null)
                {
                    // Created but attached only as a side gather of cross-stage hosts (as the reference does).
                    softmaxGather = Comm(new VertexName("zero3_softmax_gather_b", b, "_bwd"), zero3Softmax, isDp: true, localHw: _softmax[b].HardwareId, direction: PassDirection.Backward);
                }

                if (zero3Layer is not null)
                {
                    for (var l = _layers - 1; l >= 0; l--)
                    {
                        ComputeVertex host = l == _layers - 1 ? _softmaxBwd[b] : _layerBwd[b][l + 1];
                        var target = BackwardEntry(b, l);
                        var gather = Comm(new VertexName("zero3_transformer_gather_b", b, "_layer", l, "_bwd"), zero3Layer, isDp: true, localHw: target.HardwareId, direction: PassDirection.Backward);
                        AttachAcrossStages(host, target, gather, _gpipe ? softmaxGather : null);
                    }
                }

                if (!_gpipe && softmaxGather is not null)
                {
                    // As above: fetched alongside the LM head's forward, ahead of the head's backward.
                    AttachParallel(_softmax[b], softmaxGather, ParallelAttach.All);
                }

                if (zero3Embedding is not null)
                {
                    var host = _layerBwd[b][0];
                    var gather = Comm(new VertexName("zero3_embedding_gather_b", b, "_bwd"), zero3Embedding, isDp: true, localHw: host.HardwareId, direction: PassDirection.Backward);
                    AttachParallel(host, gather, ParallelAttach.All);
                }
            }
        }

        private void AddOptimizers()
        {
            var seconds = _in.Durations.OptimizerSeconds;
            if (seconds <= 0)
            {
                return;
            }

            if (!_gpipe)
            {
                AddScheduledOptimizers(seconds);
                return;
            }

            for (var stage = 0; stage <= _lastStage; stage++)
            {
                ComputeVertex? last = null;
                if (stage == 0)
                {
                    last = _embeddingBwd[0];
                }
                else
                {
                    // Backward runs micro-batches in reverse, so micro-batch 0 finishes last.
                    var lowest = Array.IndexOf(_stageOf, stage);
                    if (lowest >= 0)
                    {
                        last = _layerBwd[0][lowest];
                    }
                }

                if (last is null)
                {
                    continue;
                }

                var optimizer = Compute(new VertexName("optimizer_stage", stage), stage, seconds, false, VertexMemoryKind.Optimizer, VertexRole.Optimizer);
                _g.Connect(last, optimizer);
            }
        }

        /// <summary>
        /// One optimizer step per stage after the stage's last work. Unlike the reference's GPipe graph, the step also
        /// waits for the stage's gradient reductions: they overlap the remaining backward work, not the update.
        /// </summary>
        private void AddScheduledOptimizers(double seconds)
        {
            for (var stage = 0; stage <= _lastStage; stage++)
            {
                if (_stageLastWork[stage] is not { } last)
                {
                    continue;
                }

                var optimizer = Compute(new VertexName("optimizer_stage", stage), stage, seconds, false, VertexMemoryKind.Optimizer, VertexRole.Optimizer);
                _g.Connect(last, optimizer);
                foreach (var sync in _stageGradientSyncs[stage])
                {
                    _g.Connect(sync, optimizer);
                }
            }
        }

        /// <summary>
        /// Chains each stage's work in the schedule's order: the last vertex of one work item precedes the first vertex
        /// of the next on the same stage. Data dependencies (the layer chains and the stage-to-stage sends) are already
        /// in the graph, so a stage waits where the schedule's bubble is.
        /// </summary>
        private void LinkStagesInScheduleOrder()
        {
            var stages = _lastStage + 1;
            var layersOf = new List<int>[stages, _chunks];
            for (var s = 0; s < stages; s++)
            {
                for (var c = 0; c < _chunks; c++)
                {
                    layersOf[s, c] = [];
                }
            }

            var perChunk = Math.Max(1, _layers / (stages * _chunks));
            for (var l = 0; l < _layers; l++)
            {
                var chunk = _chunks == 1 ? 0 : l / perChunk / stages;
                layersOf[_stageOf[l], chunk].Add(l);
            }

            for (var s = 0; s < stages; s++)
            {
                GraphVertex? previous = null;
                foreach (var item in PipelineScheduleOrder.ForStage(_in.Schedule, stages, s, _microBatches))
                {
                    var bounds = Bounds(s, item, layersOf[s, item.Chunk]);
                    if (bounds is not { } work)
                    {
                        continue;
                    }

                    if (previous is not null && !_g.HasDependency(previous, work.First))
                    {
                        _g.Connect(previous, work.First);
                    }

                    previous = work.Last;
                }

                _stageLastWork[s] = previous;
            }
        }

        /// <summary>First and last vertex of one work item on a stage; null when the item has nothing on it.</summary>
        private (ComputeVertex First, ComputeVertex Last)? Bounds(int stage, PipelineWorkItem item, List<int> layers)
        {
            var b = item.MicroBatch;
            var hasEmbedding = stage == 0 && item.Chunk == 0;
            var hasHead = stage == _lastStage && item.Chunk == _chunks - 1;
            if (layers.Count == 0 && !hasEmbedding && !hasHead)
            {
                return null;
            }

            if (item.Direction == PassDirection.Forward)
            {
                var first = hasEmbedding ? _embedding[b] : layers.Count > 0 ? _layerFwd[b][layers[0]] : _softmax[b];
                var last = hasHead ? _softmax[b] : layers.Count > 0 ? _layerFwd[b][layers[^1]] : _embedding[b];
                return (first, last);
            }

            var firstBack = hasHead ? _softmaxBwd[b] : layers.Count > 0 ? BackwardEntry(b, layers[^1]) : _embeddingBwd[b];
            var lastBack = hasEmbedding ? _embeddingBwd[b] : layers.Count > 0 ? _layerBwd[b][layers[0]] : _softmaxBwd[b];
            return (firstBack, lastBack);
        }

        /// <summary>
        /// Runs <paramref name="gather"/> alongside <paramref name="host"/>: it gets the host's parents and
        /// the host's (selected) children wait for it.
        /// </summary>
        private void AttachParallel(GraphVertex host, CommunicationVertex gather, ParallelAttach which)
        {
            var parentCount = _g.ParentCount(host);
            var parents = new GraphVertex[parentCount];
            for (var i = 0; i < parentCount; i++)
            {
                parents[i] = _g.ParentAt(host, i);
            }

            foreach (var parent in parents)
            {
                if (!_g.HasDependency(parent, gather))
                {
                    _g.Connect(parent, gather);
                }
            }

            var childCount = _g.ChildCount(host);
            var children = new GraphVertex[childCount];
            for (var i = 0; i < childCount; i++)
            {
                children[i] = _g.ChildAt(host, i);
            }

            foreach (var child in children)
            {
                var isPipelineLink = child is CommunicationVertex { Kind: CollectiveKind.PointToPoint };
                if (which == ParallelAttach.PipelineLinksOnly && !isPipelineLink)
                {
                    continue;
                }

                if (which == ParallelAttach.AllButPipelineLinks && isPipelineLink)
                {
                    continue;
                }

                if (!_g.HasDependency(gather, child))
                {
                    _g.Connect(gather, child);
                }
            }
        }

        private static CommunicationSpec Required(CommunicationSpec? spec, string key) =>
            spec ?? throw new InvalidOperationException($"The pipeline graph needs the '{key}' communication.");

        private enum ParallelAttach
        {
            All,
            PipelineLinksOnly,
            AllButPipelineLinks,
        }
    }
}
