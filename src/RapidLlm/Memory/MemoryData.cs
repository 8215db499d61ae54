using System.Collections.Immutable;
using RapidLlm.Graphs;

namespace RapidLlm.Memory;

/// <summary>
/// Per-layer and per-op sizes that drive one memory simulation (the reference's
/// <c>build_memory_data</c> output), all in bytes per device.
/// </summary>
internal sealed record MemoryData
{
    /// <summary>Training or inference rules.</summary>
    public required MemoryMode Mode { get; init; }

    /// <summary>Weights (plus master copy) of one layer, after ZeRO-3 sharding.</summary>
    public required double WeightBytesPerLayer { get; init; }

    /// <summary>Gradients of one layer, after ZeRO-2 sharding (also reported for inference, unused there).</summary>
    public required double GradientBytesPerLayer { get; init; }

    /// <summary>Optimizer states of one layer, after ZeRO-1 sharding (also reported for inference, unused there).</summary>
    public required double OptimizerBytesPerLayer { get; init; }

    /// <summary>Weights + gradients + optimizer states of one layer (training static memory).</summary>
    public required double StaticBytesPerLayer { get; init; }

    /// <summary>Closed-form training activation estimate of one layer (Korthikanti et al.), reported only.</summary>
    public required double ActivationBytesPerLayer { get; init; }

    /// <summary>Closed-form inference activation estimate of one layer, reported only.</summary>
    public required double InferenceActivationBytesPerLayer { get; init; }

    /// <summary>Activation estimate plus weights of one layer, reported only.</summary>
    public required double TotalBytesPerLayer { get; init; }

    /// <summary>KV cache of one layer (inference; 0 otherwise).</summary>
    public required double KvCacheBytesPerLayer { get; init; }

    /// <summary>Largest parameter set materialised by a ZeRO-3 gather (0 without ZeRO-3 and dp &gt; 1).</summary>
    public required double Zero3EphemeralPeakBytes { get; init; }

    /// <summary>Bytes each gathering op allocates for its duration (training with ZeRO-3 and dp &gt; 1).</summary>
    public required double ParamGatherBytes { get; init; }

    /// <summary>Embedding / LM-head static memory and the constant offset, by device id.</summary>
    public required ImmutableSortedDictionary<int, double> ExtraStaticBytesPerDevice { get; init; }

    /// <summary>Outputs kept from forward until backward, by op kind (training without full recompute).</summary>
    internal ImmutableDictionary<VertexMemoryKind, double> PersistentBytesByKind { get; init; } = ImmutableDictionary<VertexMemoryKind, double>.Empty;

    /// <summary>Outputs live only while their op runs, by op kind (recompute or inference).</summary>
    internal ImmutableDictionary<VertexMemoryKind, double> TransientBytesByKind { get; init; } = ImmutableDictionary<VertexMemoryKind, double>.Empty;

    /// <summary>
    /// Bytes one micro-batch keeps per layer from the layer's forward to its backward under full recomputation: the
    /// layer's input, micro-batch × tokens per rank × hidden × activation bytes, split over tp with sequence parallelism.
    /// 0 without full recomputation and in the reference model, which keeps no checkpoint.
    /// </summary>
    public double CheckpointBytesPerLayer { get; init; }

    /// <summary>Persistent bytes of one op kind (0 when absent).</summary>
    /// <param name="kind">Op kind.</param>
    /// <returns>Bytes.</returns>
    internal double PersistentBytes(VertexMemoryKind kind) => PersistentBytesByKind.GetValueOrDefault(kind);

    /// <summary>Transient bytes of one op kind (0 when absent).</summary>
    /// <param name="kind">Op kind.</param>
    /// <returns>Bytes.</returns>
    internal double TransientBytes(VertexMemoryKind kind) => TransientBytesByKind.GetValueOrDefault(kind);

    /// <summary>The MoE layer's figures when the model has MoE layers; dense layers use the properties above.</summary>
    internal Moe.MoeLayerMemory? Moe { get; init; }

    /// <summary>Equal when every size and every dictionary entry is equal.</summary>
    /// <param name="other">The other memory data.</param>
    public bool Equals(MemoryData? other) =>
        other is not null && (ReferenceEquals(this, other) || (Mode == other.Mode
            && WeightBytesPerLayer.Equals(other.WeightBytesPerLayer) && GradientBytesPerLayer.Equals(other.GradientBytesPerLayer)
            && OptimizerBytesPerLayer.Equals(other.OptimizerBytesPerLayer) && StaticBytesPerLayer.Equals(other.StaticBytesPerLayer)
            && ActivationBytesPerLayer.Equals(other.ActivationBytesPerLayer) && InferenceActivationBytesPerLayer.Equals(other.InferenceActivationBytesPerLayer)
            && TotalBytesPerLayer.Equals(other.TotalBytesPerLayer) && KvCacheBytesPerLayer.Equals(other.KvCacheBytesPerLayer)
            && Zero3EphemeralPeakBytes.Equals(other.Zero3EphemeralPeakBytes) && ParamGatherBytes.Equals(other.ParamGatherBytes)
            && CheckpointBytesPerLayer.Equals(other.CheckpointBytesPerLayer)
            && ExtraStaticBytesPerDevice.SequenceEqual(other.ExtraStaticBytesPerDevice)
            && SameEntries(PersistentBytesByKind, other.PersistentBytesByKind) && SameEntries(TransientBytesByKind, other.TransientBytesByKind)
            && Equals(Moe, other.Moe)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mode, WeightBytesPerLayer, ActivationBytesPerLayer, KvCacheBytesPerLayer, ExtraStaticBytesPerDevice.Count);

    private static bool SameEntries(ImmutableDictionary<VertexMemoryKind, double> a, ImmutableDictionary<VertexMemoryKind, double> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && v.Equals(e.Value));
}
