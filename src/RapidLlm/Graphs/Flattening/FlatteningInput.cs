using RapidLlm.Graphs.Overlap;

namespace RapidLlm.Graphs.Flattening;

/// <summary>What <see cref="PipelineGraphFlattener"/> needs besides the timed pipeline graph.</summary>
internal sealed record FlatteningInput
{
    /// <summary>
    /// The dense layer's ops (durations per direction and communicated bytes), parallelism mode and
    /// degrees; each layer vertex of the pipeline graph becomes one chain of these ops per rank.
    /// </summary>
    public required TransformerGraphInput Transformer { get; init; }

    /// <summary>The op chain of MoE layers (vertices flagged as MoE); null when every layer uses <see cref="Transformer"/>.</summary>
    public TransformerGraphInput? MoeTransformer { get; init; }

    /// <summary>Expert-parallel degree (ranks per stage = tp·cp·ep).</summary>
    public int ExpertParallel { get; init; } = 1;

    /// <summary>
    /// Whether expert-parallel collectives hanging off a layer (the ep gradient syncs of MoE models with dp &gt; 1) get one
    /// copy per rank. AstraSim needs it, since every member of an ep group must issue the collective; the memory model
    /// keeps the reference's single copy.
    /// </summary>
    public bool PerRankExpertCollectives { get; init; }

    /// <summary>ZeRO stage; stage 3 replicates tp-sharded parameter gathers per rank.</summary>
    public int ZeroStage { get; init; }

    /// <summary>Rank → device numbering; null numbers devices stage-major (<c>stage·ranks + rank</c>).</summary>
    public RankLayout? Layout { get; init; }

    /// <summary>Overlap factors applied to the flattened graph.</summary>
    public OverlapSettings Overlap { get; init; } = OverlapSettings.None;
}
