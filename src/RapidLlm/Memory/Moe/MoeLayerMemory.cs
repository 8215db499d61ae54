using System.Collections.Immutable;
using RapidLlm.Graphs;

namespace RapidLlm.Memory.Moe;

/// <summary>Per-rank memory of one MoE layer, beside the dense layer's figures in <see cref="MemoryData"/>.</summary>
internal sealed record MoeLayerMemory
{
    /// <summary>Weights: attention, this rank's routed experts, the shared experts and the router.</summary>
    public required double WeightBytesPerLayer { get; init; }

    /// <summary>Gradients (training).</summary>
    public required double GradientBytesPerLayer { get; init; }

    /// <summary>Optimizer states (training).</summary>
    public required double OptimizerBytesPerLayer { get; init; }

    /// <summary>Weights + gradients + optimizer states.</summary>
    public required double StaticBytesPerLayer { get; init; }

    /// <summary>Activations kept until backward, by op kind, with the MLP sized by the hot rank's routed tokens.</summary>
    public required ImmutableDictionary<VertexMemoryKind, double> PersistentBytesByKind { get; init; }

    /// <summary>Activations freed when their op finishes, by op kind.</summary>
    public required ImmutableDictionary<VertexMemoryKind, double> TransientBytesByKind { get; init; }
}
