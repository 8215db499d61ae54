namespace RapidLlm.Graphs.Overlap;

/// <summary>
/// Fractions of a collective hidden behind compute (0 = fully exposed, 1 = fully hidden), from the
/// network's <c>overlap</c> section.
/// </summary>
/// <param name="TensorParallel">Used in tensor and tensor+context hybrid modes.</param>
/// <param name="TensorSequenceParallel">Used in tensor+sequence mode.</param>
/// <param name="ContextParallel">Used in context and hybrid modes.</param>
internal sealed record OverlapSettings(double TensorParallel = 0, double TensorSequenceParallel = 0, double ContextParallel = 0)
{
    /// <summary>No overlap at all.</summary>
    public static OverlapSettings None { get; } = new();
}
