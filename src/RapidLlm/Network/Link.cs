namespace RapidLlm.Network;

/// <summary>One network link as the analytical model sees it.</summary>
/// <param name="BandwidthBytesPerSecond">Effective bandwidth (bandwidth × util).</param>
/// <param name="LatencySeconds">Latency per message or ring step.</param>
internal readonly record struct Link(double BandwidthBytesPerSecond, double LatencySeconds);

/// <summary>A parallelism axis whose traffic uses one network link.</summary>
public enum ParallelismAxis
{
    /// <summary>Tensor parallelism.</summary>
    Tp,
    /// <summary>Context parallelism.</summary>
    Cp,
    /// <summary>Expert parallelism.</summary>
    Ep,
    /// <summary>Pipeline parallelism (the seed's <c>lp</c>).</summary>
    Pp,
    /// <summary>Data parallelism.</summary>
    Dp,
}

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
