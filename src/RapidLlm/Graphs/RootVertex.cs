namespace RapidLlm.Graphs;

/// <summary>
/// A sentinel start vertex (the reference's <c>Data_batch</c>): it takes no device and fans out to the
/// first work of each chain.
/// </summary>
internal sealed class RootVertex : GraphVertex
{
    /// <summary>Creates a root vertex.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="batchId">Data-batch id.</param>
    /// <param name="durationSeconds">Usually zero.</param>
    public RootVertex(string name, int batchId, double durationSeconds = 0)
        : base(name, batchId)
    {
        BatchId = batchId;
        DurationSeconds = durationSeconds;
    }

    /// <summary>Data-batch id.</summary>
    public int BatchId { get; }

    /// <inheritdoc/>
    public override double DurationSeconds { get; }
}
