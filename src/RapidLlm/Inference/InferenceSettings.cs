namespace RapidLlm.Inference;

/// <summary>The run-level quantities the inference orchestration needs (op costs come from the step models).</summary>
internal sealed record InferenceSettings
{
    /// <summary>Prompt plus generated tokens (the model's <c>seq_len</c>).</summary>
    public required int SequenceLength { get; init; }

    /// <summary>Generated tokens (<c>decode_len</c>); 0 runs prefill only, <see cref="SequenceLength"/> runs decode only.</summary>
    public required int DecodeLength { get; init; }

    /// <summary>Transformer layers.</summary>
    public required int LayerCount { get; init; }

    /// <summary>Sequences per replica (the reference's <c>batch_size</c>); multiplies aggregate throughput.</summary>
    public required int BatchSize { get; init; }

    /// <summary>
    /// Sequences one simulated pass carries: the micro-batch under pipeline parallelism, else <see cref="BatchSize"/>
    /// (null). Used for the per-token energy denominators and, via the caller, the KV counters.
    /// </summary>
    public int? TransformerBatch { get; init; }

    /// <summary>Independent replicas; they multiply aggregate throughput only. Default 1.</summary>
    public int ReplicaCount { get; init; } = 1;

    /// <summary>Pipeline stages (for cross-stage energy). Default 1.</summary>
    public int PipelineStages { get; init; } = 1;

    /// <summary>Decode sampling interval, ≥ 1, or <see cref="DecodeSampling.FirstAndLastOnly"/> (the default).</summary>
    public int SampleEvery { get; init; } = DecodeSampling.FirstAndLastOnly;

    /// <summary>KV-cache bytes one token position adds to one layer for the whole pass batch (see <see cref="KvCacheTraffic.BytesPerTokenPerLayer"/>).</summary>
    public double KvCacheBytesPerTokenPerLayer { get; init; }

    /// <summary>
    /// Whether the model keeps a key/value cache; default true. A vision encoder (one forward pass) does not, so it has
    /// no KV traffic and the reference prints no KV-cache line for it.
    /// </summary>
    public bool CachesKeysAndValues { get; init; } = true;

    /// <summary>Hardware energy constants.</summary>
    internal EnergyCoefficients EnergyCoefficients { get; init; } = null!;

    /// <summary>Layer accounting for energy. Default <see cref="EnergyAccounting.AllLayers"/>.</summary>
    public EnergyAccounting EnergyAccounting { get; init; } = EnergyAccounting.AllLayers;

    /// <summary>
    /// The calibrated model's power model; when set, phases that report their <see cref="PhaseCost.Work"/> are priced
    /// with it (idle floor of <see cref="GpusPerReplica"/> GPUs plus dynamic energy, capped at TDP). Null keeps the
    /// reference's energy.
    /// </summary>
    internal Hardware.GpuPowerModel? Power { get; init; }

    /// <summary>GPUs of one replica (tp × cp × pp), over which energy and average power are counted; default 1.</summary>
    public int GpusPerReplica { get; init; } = 1;

    /// <summary>Prompt tokens: sequence length − decode length.</summary>
    public int PrefillLength => SequenceLength - DecodeLength;

    /// <summary>The batch of one simulated pass.</summary>
    public int EffectiveTransformerBatch => TransformerBatch ?? BatchSize;

    /// <summary>Every problem with the settings (empty when valid).</summary>
    /// <returns>Messages naming the offending setting.</returns>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (SequenceLength < 1) problems.Add($"SequenceLength must be ≥ 1 (got {SequenceLength}).");
        if (DecodeLength < 0) problems.Add($"DecodeLength must be ≥ 0 (got {DecodeLength}).");
        if (DecodeLength > SequenceLength) problems.Add($"DecodeLength ({DecodeLength}) must not exceed SequenceLength ({SequenceLength}).");
        if (LayerCount < 1) problems.Add($"LayerCount must be ≥ 1 (got {LayerCount}).");
        if (BatchSize < 1) problems.Add($"BatchSize must be ≥ 1 (got {BatchSize}).");
        if (TransformerBatch is < 1) problems.Add($"TransformerBatch must be ≥ 1 (got {TransformerBatch}).");
        if (ReplicaCount < 1) problems.Add($"ReplicaCount must be ≥ 1 (got {ReplicaCount}).");
        if (PipelineStages < 1) problems.Add($"PipelineStages must be ≥ 1 (got {PipelineStages}).");
        if (SampleEvery != DecodeSampling.FirstAndLastOnly && SampleEvery < 1)
            problems.Add($"SampleEvery must be ≥ 1 or -1 (got {SampleEvery}).");
        if (!(KvCacheBytesPerTokenPerLayer >= 0)) problems.Add($"KvCacheBytesPerTokenPerLayer must be ≥ 0 (got {KvCacheBytesPerTokenPerLayer}).");
        if (EnergyCoefficients is null) problems.Add("EnergyCoefficients is required.");
        return problems;
    }

    /// <summary>Throws one exception listing every problem.</summary>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException("Invalid inference settings: " + string.Join(" ", problems));
    }
}
