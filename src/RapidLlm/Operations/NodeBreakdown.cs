namespace RapidLlm.Operations;

/// <summary>Durations of the pipeline-graph nodes derived from one layer costing.</summary>
/// <param name="TransformerForwardSeconds">One layer forward: compute + comm of its eight operators.</param>
/// <param name="TransformerBackwardSeconds">One layer backward (recompute is a separate graph node).</param>
/// <param name="EmbeddingForwardSeconds">Embedding forward.</param>
/// <param name="EmbeddingBackwardSeconds">Embedding backward.</param>
/// <param name="LinearSoftmaxForwardSeconds">LM head + softmax forward.</param>
/// <param name="LinearSoftmaxBackwardSeconds">LM head + softmax backward.</param>
internal sealed record NodeBreakdown(
    double TransformerForwardSeconds,
    double TransformerBackwardSeconds,
    double EmbeddingForwardSeconds,
    double EmbeddingBackwardSeconds,
    double LinearSoftmaxForwardSeconds,
    double LinearSoftmaxBackwardSeconds);
