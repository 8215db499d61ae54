using RapidLlm.Execution;
using RapidLlm.Graphs;

namespace RapidLlm.Memory;

/// <summary>
/// Replays a flattened per-rank graph with the event scheduler's exact semantics (see
/// <see cref="Execution.EventSimulator"/>) and tracks memory per device:
/// <list type="bullet">
/// <item>at t = 0 each device gets its static memory: training <c>static/layer · layers</c>, inference
/// <c>(weights + KV cache)/layer · layers</c>, plus its extra static bytes (a device with no layer counts one);</item>
/// <item>when a compute op finishes: training forward ops allocate their persistent bytes and briefly
/// their transient bytes, backward ops free persistent bytes of their kind; inference forward ops
/// allocate and free transient bytes;</item>
/// <item>training ops that gather parameters (ZeRO-3) hold the gathered bytes from start to finish;</item>
/// <item>under full recomputation with checkpoints (<see cref="MemoryData.CheckpointBytesPerLayer"/>), a layer's first
/// forward op (not its recompute) allocates the micro-batch's checkpoint and the layer's last backward op frees it, so
/// the stash follows the schedule's micro-batches in flight.</item>
/// </list>
/// Layers per device are the distinct layer indices of forward transformer ops on it. Stateless.
/// </summary>
internal static class MemorySimulator
{
    /// <summary>Simulates the graph from its root.</summary>
    /// <param name="graph">A flattened per-rank graph (see <see cref="Graphs.Flattening.PipelineGraphFlattener"/>).</param>
    /// <param name="data">Sizes of the pass.</param>
    /// <returns>Per-device memory and finish times.</returns>
    public static MemorySimulationResult Simulate(ExecutionGraph graph, MemoryData data)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(data);
        var root = graph.Root ?? throw new ArgumentException("The graph has no root.", nameof(graph));
        var vertices = graph.Vertices;
        foreach (var v in vertices)
        {
            if (v is ComputeVertex { Role: VertexRole.TransformerLayer })
            {
                throw new ArgumentException("Memory simulation needs the flattened per-rank graph, not the pipeline graph.", nameof(graph));
            }
        }

        // One reachability pass serves both the device count and the layer count (flattened graphs are large).
        var reachable = Reachable(graph, root);
        var ledger = new DeviceLedger(DeviceCount(graph, reachable), data);
        var (denseLayers, moeLayers) = LayersPerDevice(reachable, ledger.Count);
        ledger.AddStatic(denseLayers, moeLayers);

        // The schedule is the timing simulator's; the ledger only listens to starts and finishes.
        var run = EventSimulator.Simulate(graph, root, new LedgerObserver(ledger, data.Mode == MemoryMode.Training));
        return new MemorySimulationResult(run.MakespanSeconds, run.FinishTimesSeconds.ToArray(), ledger.Summaries());
    }

    private sealed class LedgerObserver(DeviceLedger ledger, bool training) : ISimulationObserver
    {
        public void OnStarted(ComputeVertex vertex, double timeSeconds) => ledger.OnStarted(vertex, training);

        public void OnFinished(GraphVertex vertex, double timeSeconds)
        {
            if (vertex is ComputeVertex compute) ledger.OnFinished(compute, training);
        }
    }

    private static int DeviceCount(ExecutionGraph graph, List<GraphVertex> reachable)
    {
        var max = -1;
        foreach (var v in reachable)
        {
            if (v is ComputeVertex c && c.HardwareId >= 0)
            {
                max = Math.Max(max, c.HardwareId);
            }
        }

        return Math.Max(graph.MinimumDeviceCount, max + 1);
    }

    /// <summary>Distinct layer indices of forward transformer-op vertices per device, dense and MoE layers apart.</summary>
    private static (int[] Dense, int[] Moe) LayersPerDevice(List<GraphVertex> reachable, int devices)
    {
        var dense = new HashSet<int>[devices];
        var moe = new HashSet<int>[devices];
        for (var d = 0; d < devices; d++)
        {
            dense[d] = [];
            moe[d] = [];
        }

        foreach (var v in reachable)
        {
            if (v is ComputeVertex { IsForward: true, Layer: { } layer } c && c.HardwareId >= 0 && IsTransformerOp(c.MemoryKind))
            {
                (c.IsMoeLayer == true ? moe : dense)[c.HardwareId].Add(layer);
            }
        }

        return (dense.Select(s => s.Count).ToArray(), moe.Select(s => s.Count).ToArray());
    }

    /// <summary>
    /// Whether a per-rank op books its layer's checkpoint: the layer's first op (its input norm) in the original
    /// forward or in the backward, not in the recompute, and not the head half the tensor-parallel overlap splits off.
    /// </summary>
    internal static bool IsLayerInput(ComputeVertex op) =>
        op.MemoryKind == VertexMemoryKind.LayerNorm1 && op.Layer is not null && !op.IsRecompute && !op.Name.EndsWith("_head", StringComparison.Ordinal);

    internal static bool IsTransformerOp(VertexMemoryKind kind) => kind is VertexMemoryKind.LayerNorm1 or VertexMemoryKind.QkvProjection
        or VertexMemoryKind.Attention or VertexMemoryKind.OutputProjection or VertexMemoryKind.LayerNorm2 or VertexMemoryKind.Mlp
        or VertexMemoryKind.Transformer;

    /// <summary>The vertices the root reaches, in depth-first visiting order (a dense bit per vertex index, no hashing).</summary>
    private static List<GraphVertex> Reachable(ExecutionGraph graph, GraphVertex root)
    {
        var vertices = graph.Vertices;
        var (start, items) = graph.FlatChildren;
        var seen = new bool[vertices.Count];
        var result = new List<GraphVertex>();
        var stack = new Stack<GraphVertex>();
        seen[root.Index] = true;
        stack.Push(root);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            result.Add(v);
            for (var e = start[v.Index]; e < start[v.Index + 1]; e++)
            {
                var c = items[e];
                if (!seen[c])
                {
                    seen[c] = true;
                    stack.Push(vertices[c]);
                }
            }
        }

        return result;
    }

    /// <summary>Current, static and peak bytes per device, plus what the peak consisted of.</summary>
    internal sealed class DeviceLedger
    {
        private readonly MemoryData _data;
        private readonly double[] _static;
        private readonly double[] _current;
        private readonly double[] _peak;
        private readonly double[] _ephemeral;
        private readonly double[] _ephemeralAtPeak;

        // Persistent and transient bytes by memory kind, dense layers first, then MoE layers' operations (looked up once).
        private readonly double[] _persistent;
        private readonly double[] _transient;
        private int[] _layers = [];
        private int[] _moeLayers = [];

        public DeviceLedger(int count, MemoryData data)
        {
            _data = data;
            _static = new double[count];
            _current = new double[count];
            _peak = new double[count];
            _ephemeral = new double[count];
            _ephemeralAtPeak = new double[count];
            var kinds = KindCount;
            _persistent = new double[2 * kinds];
            _transient = new double[2 * kinds];
            for (var k = 0; k < kinds; k++)
            {
                var kind = (VertexMemoryKind)k;
                _persistent[k] = data.PersistentBytes(kind);
                _transient[k] = data.TransientBytes(kind);
                var moe = IsTransformerOp(kind) ? data.Moe : null;
                _persistent[kinds + k] = moe is null ? _persistent[k] : moe.PersistentBytesByKind.GetValueOrDefault(kind);
                _transient[kinds + k] = moe is null ? _transient[k] : moe.TransientBytesByKind.GetValueOrDefault(kind);
            }
        }

        private static readonly int KindCount = Enum.GetValues<VertexMemoryKind>().Length;

        public int Count => _static.Length;

        public void AddStatic(int[] layersPerDevice, int[] moeLayersPerDevice)
        {
            // No layer on any device (no transformer ops): the reference charges one layer everywhere.
            if (layersPerDevice.Sum() + moeLayersPerDevice.Sum() == 0)
            {
                Array.Fill(layersPerDevice, 1);
            }

            _moeLayers = moeLayersPerDevice;
            _layers = layersPerDevice.Select((l, d) => l + _moeLayers[d] == 0 ? 1 : l).ToArray();
            for (var d = 0; d < Count; d++)
            {
                var perLayer = _data.Mode == MemoryMode.Training
                    ? _data.StaticBytesPerLayer
                    : _data.WeightBytesPerLayer + _data.KvCacheBytesPerLayer;
                var bytes = _data.Moe is { } moe
                    ? MoeStatic(moe, _layers[d], _moeLayers[d]) + _data.ExtraStaticBytesPerDevice.GetValueOrDefault(d)
                    : (perLayer * _layers[d]) + _data.ExtraStaticBytesPerDevice.GetValueOrDefault(d);
                if (bytes > 0)
                {
                    _static[d] += bytes;
                    Allocate(d, bytes);
                }
            }
        }

        /// <summary>Static bytes of a device holding dense and MoE layers, summed in the reference's order.</summary>
        private double MoeStatic(Moe.MoeLayerMemory moe, int denseLayers, int moeLayers)
        {
            if (_data.Mode == MemoryMode.Training)
            {
                return (_data.StaticBytesPerLayer * denseLayers) + (moe.StaticBytesPerLayer * moeLayers);
            }

            var bytes = (_data.WeightBytesPerLayer * denseLayers) + (moe.WeightBytesPerLayer * moeLayers);
            if (_data.KvCacheBytesPerLayer != 0)
            {
                bytes += _data.KvCacheBytesPerLayer * (denseLayers + moeLayers);
            }

            return bytes;
        }

        /// <summary>An op of a MoE layer uses the MoE layer's activation sizes.</summary>
        private double Persistent(VertexMemoryKind kind, bool moeLayer) => _persistent[(moeLayer ? KindCount : 0) + (int)kind];

        private double Transient(VertexMemoryKind kind, bool moeLayer) => _transient[(moeLayer ? KindCount : 0) + (int)kind];

        public void OnStarted(ComputeVertex op, bool training) => OnStarted(op.HardwareId, op.IsParamGather, training);

        /// <summary>A compute op took its device: a parameter gather holds its bytes until it finishes.</summary>
        public void OnStarted(int device, bool paramGather, bool training)
        {
            if (training && _data.ParamGatherBytes > 0 && paramGather)
            {
                _ephemeral[device] += _data.ParamGatherBytes;
                Allocate(device, _data.ParamGatherBytes);
            }
        }

        public void OnFinished(ComputeVertex op, bool training) =>
            OnFinished(op.HardwareId, op.MemoryKind, op.IsForward, op.IsParamGather, op.IsMoeLayer == true, training, IsLayerInput(op));

        /// <summary>
        /// A compute op finished: the allocations and releases of its kind and direction. <paramref name="layerInput"/>
        /// marks the op that books a layer's checkpoint (<see cref="MemoryData.CheckpointBytesPerLayer"/>): the layer's
        /// first op in its forward (allocated) and its last in its backward (released).
        /// </summary>
        public void OnFinished(int d, VertexMemoryKind kind, bool forward, bool paramGather, bool moeLayer, bool training, bool layerInput = false)
        {
            var persistent = Persistent(kind, moeLayer);
            var transient = Transient(kind, moeLayer);
            if (training)
            {
                if (forward && persistent > 0)
                {
                    Allocate(d, persistent);
                }

                if (forward && transient > 0)
                {
                    Allocate(d, transient);
                    Release(d, transient);
                }

                if (!forward && persistent > 0)
                {
                    Release(d, persistent);
                }

                if (layerInput && _data.CheckpointBytesPerLayer > 0)
                {
                    if (forward) Allocate(d, _data.CheckpointBytesPerLayer);
                    else Release(d, _data.CheckpointBytesPerLayer);
                }

                if (paramGather && _data.ParamGatherBytes > 0)
                {
                    _ephemeral[d] = Math.Max(0, _ephemeral[d] - _data.ParamGatherBytes);
                    Release(d, _data.ParamGatherBytes);
                }
            }
            else if (forward && transient > 0)
            {
                Allocate(d, transient);
                Release(d, transient);
            }
        }

        /// <summary>The static bytes a device starts with.</summary>
        public double StaticBytes(int device) => _static[device];

        /// <summary>Gives <paramref name="target"/> the state of <paramref name="source"/> (a device that ran the same operations from the same start).</summary>
        public void CopyDevice(int source, int target)
        {
            _current[target] = _current[source];
            _peak[target] = _peak[source];
            _ephemeral[target] = _ephemeral[source];
            _ephemeralAtPeak[target] = _ephemeralAtPeak[source];
        }

        private void Allocate(int d, double bytes)
        {
            if (d < 0 || d >= Count)
            {
                return;
            }

            _current[d] += bytes;
            if (_current[d] > _peak[d])
            {
                _peak[d] = _current[d];
                _ephemeralAtPeak[d] = _ephemeral[d];
            }
        }

        private void Release(int d, double bytes)
        {
            if (d >= 0 && d < Count)
            {
                _current[d] = Math.Max(0.0, _current[d] - bytes);
            }
        }

        public IReadOnlyList<DeviceMemory> Summaries()
        {
            var list = new DeviceMemory[Count];
            for (var d = 0; d < Count; d++)
            {
                var layers = _layers[d];
                var other = _data.ExtraStaticBytesPerDevice.GetValueOrDefault(d);
                var training = _data.Mode == MemoryMode.Training;
                var moeLayers = _moeLayers.Length > d ? _moeLayers[d] : 0;
                var moe = _data.Moe;
                var weights = (_data.WeightBytesPerLayer * layers) + ((moe?.WeightBytesPerLayer ?? 0) * moeLayers);
                var gradients = training ? (_data.GradientBytesPerLayer * layers) + ((moe?.GradientBytesPerLayer ?? 0) * moeLayers) : 0;
                var optimizer = training ? (_data.OptimizerBytesPerLayer * layers) + ((moe?.OptimizerBytesPerLayer ?? 0) * moeLayers) : 0;
                var kv = training ? 0 : _data.KvCacheBytesPerLayer * (layers + moeLayers);
                var activations = Math.Max(0, _peak[d] - _static[d] - _ephemeralAtPeak[d]);
                list[d] = new DeviceMemory(d, _static[d], _current[d], _peak[d],
                    new MemoryComponentBreakdown(weights, gradients, optimizer, activations, kv, _ephemeralAtPeak[d], other));
            }

            return list;
        }
    }
}
