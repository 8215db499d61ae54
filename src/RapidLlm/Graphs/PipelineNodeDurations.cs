namespace RapidLlm.Graphs;

/// <summary>Durations of the pipeline graph's compute vertices, in seconds.</summary>
internal sealed record PipelineNodeDurations
{
    /// <summary>Embedding forward.</summary>
    public double EmbeddingForwardSeconds { get; init; }

    /// <summary>Embedding backward.</summary>
    public double EmbeddingBackwardSeconds { get; init; }

    /// <summary>Dense transformer layer forward (also the recompute replay).</summary>
    public double TransformerForwardSeconds { get; init; }

    /// <summary>Dense transformer layer backward.</summary>
    public double TransformerBackwardSeconds { get; init; }

    /// <summary>MoE layer forward; the dense value when null.</summary>
    public double? MoeTransformerForwardSeconds { get; init; }

    /// <summary>MoE layer backward; the dense value when null.</summary>
    public double? MoeTransformerBackwardSeconds { get; init; }

    /// <summary>LM head (linear + softmax) forward.</summary>
    public double LinearSoftmaxForwardSeconds { get; init; }

    /// <summary>LM head backward.</summary>
    public double LinearSoftmaxBackwardSeconds { get; init; }

    /// <summary>Optimizer step per stage; no optimizer vertices are built when it is not positive.</summary>
    public double OptimizerSeconds { get; init; }
}
