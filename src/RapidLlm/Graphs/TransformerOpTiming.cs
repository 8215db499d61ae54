namespace RapidLlm.Graphs;

/// <summary>One op of a transformer layer as the per-rank graph needs it.</summary>
/// <param name="Name">Op name (<c>layernorm1</c>, <c>qkv_proj</c>, <c>attention</c>, <c>output_proj</c>, <c>layernorm2</c>, <c>MLP</c>).</param>
/// <param name="ForwardSeconds">Forward compute time.</param>
/// <param name="BackwardSeconds">Backward compute time.</param>
/// <param name="ForwardCommBytes">Bytes the op communicates in forward (0 for none).</param>
/// <param name="BackwardCommBytes">Bytes the op communicates in backward.</param>
internal sealed record TransformerOpTiming(
    string Name,
    double ForwardSeconds,
    double BackwardSeconds,
    double ForwardCommBytes,
    double BackwardCommBytes);
