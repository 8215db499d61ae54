namespace RapidLlm.Graphs;

/// <summary>
/// The communications a pipeline graph may contain. A null entry means the graph has no such
/// communication; which ZeRO entries are present decides the ZeRO edges, exactly as the presence of
/// the corresponding <c>comm_metadata</c> keys does in the reference.
/// </summary>
internal sealed record PipelineCommunications
{
    /// <summary>Activation transfer between adjacent stages (<c>cross_layer</c>).</summary>
    public required CommunicationSpec CrossLayer { get; init; }

    /// <summary>Per-layer gradient synchronisation of a dense layer (<c>transformer_dense</c>).</summary>
    public CommunicationSpec? TransformerDenseSync { get; init; }

    /// <summary>Per-layer gradient synchronisation of a MoE layer (<c>transformer_moe</c>); dense sync is used when null.</summary>
    public CommunicationSpec? TransformerMoeSync { get; init; }

    /// <summary>Embedding gradient synchronisation (<c>embedding</c>).</summary>
    public CommunicationSpec? EmbeddingSync { get; init; }

    /// <summary>LM-head gradient synchronisation (<c>softmax</c>).</summary>
    public CommunicationSpec? SoftmaxSync { get; init; }

    /// <summary>ZeRO-2 parameter gather after the embedding reduce-scatter.</summary>
    public CommunicationSpec? Zero2EmbeddingGather { get; init; }

    /// <summary>ZeRO-2 parameter gather after each layer's reduce-scatter.</summary>
    public CommunicationSpec? Zero2TransformerGather { get; init; }

    /// <summary>ZeRO-2 parameter gather after the LM-head reduce-scatter.</summary>
    public CommunicationSpec? Zero2SoftmaxGather { get; init; }

    /// <summary>ZeRO-3 embedding parameter gather.</summary>
    public CommunicationSpec? Zero3EmbeddingGather { get; init; }

    /// <summary>ZeRO-3 per-layer parameter gather (prefetched one layer ahead).</summary>
    public CommunicationSpec? Zero3TransformerGather { get; init; }

    /// <summary>ZeRO-3 LM-head parameter gather.</summary>
    public CommunicationSpec? Zero3SoftmaxGather { get; init; }

    /// <summary>Expert-parallel gradient synchronisation of a dense layer (ep &gt; 1 and dp &gt; 1).</summary>
    public CommunicationSpec? TransformerDenseEpSync { get; init; }

    /// <summary>Expert-parallel gradient synchronisation of a MoE layer (ep &gt; 1 and dp &gt; 1).</summary>
    public CommunicationSpec? TransformerMoeEpSync { get; init; }
}
