namespace RapidLlm.Common;

/// <summary>The kind of a communication.</summary>
public enum CollectiveKind
{
    /// <summary>All-reduce.</summary>
    AllReduce,
    /// <summary>All-gather.</summary>
    AllGather,
    /// <summary>Reduce-scatter.</summary>
    ReduceScatter,
    /// <summary>All-to-all.</summary>
    AllToAll,
    /// <summary>Point-to-point transfer between pipeline stages.</summary>
    PointToPoint,
}
