namespace RapidLlm.Workbench.Running;

/// <summary>What kind of run a record holds.</summary>
public enum RunKind
{
    /// <summary>One estimate (training, inference or GEMM).</summary>
    Estimate,

    /// <summary>A grid over one or two settings.</summary>
    Sweep,

    /// <summary>A configuration search for a GPU count.</summary>
    Search,
}

/// <summary>Where a run stands.</summary>
public enum RunStatus
{
    /// <summary>Still running.</summary>
    Running,

    /// <summary>Finished with results.</summary>
    Completed,

    /// <summary>Stopped by the user; partial results are kept.</summary>
    Cancelled,

    /// <summary>Stopped by an error.</summary>
    Failed,
}

/// <summary>One figure of a result, from the library's <c>ResultTable</c>.</summary>
/// <param name="Metric">What it is.</param>
/// <param name="Value">The value in the SI base unit.</param>
/// <param name="Unit">The unit symbol (<c>s</c>, <c>B</c>, <c>J</c>, <c>tok/s</c>, <c>1</c>, or empty).</param>
/// <param name="Display">The value for people, with a scaled unit.</param>
public sealed record MetricRow(string Metric, double Value, string Unit, string Display);

/// <summary>One operator of a layer: forward and backward time, split into compute and communication.</summary>
/// <param name="Label">The operator.</param>
/// <param name="ForwardComputeSeconds">Forward compute.</param>
/// <param name="ForwardCommSeconds">Forward communication.</param>
/// <param name="BackwardComputeSeconds">Backward compute.</param>
/// <param name="BackwardCommSeconds">Backward communication.</param>
public sealed record TimeSlice(string Label, double ForwardComputeSeconds, double ForwardCommSeconds, double BackwardComputeSeconds, double BackwardCommSeconds)
{
    /// <summary>All four parts.</summary>
    public double TotalSeconds => ForwardComputeSeconds + ForwardCommSeconds + BackwardComputeSeconds + BackwardCommSeconds;
}

/// <summary>One component of the memory at the peak.</summary>
/// <param name="Label">The component.</param>
/// <param name="Bytes">Its size.</param>
public sealed record MemorySlice(string Label, double Bytes);

/// <summary>Per-GPU memory at the peak against the device's capacity.</summary>
/// <param name="PeakBytes">The peak of the busiest GPU.</param>
/// <param name="CapacityBytes">The device's capacity, when known.</param>
/// <param name="Components">What the peak holds.</param>
public sealed record MemoryPicture(double PeakBytes, double? CapacityBytes, IReadOnlyList<MemorySlice> Components)
{
    /// <summary>The peak fits in the capacity (or the capacity is unknown).</summary>
    public bool Fits => CapacityBytes is not { } c || PeakBytes <= c;
}

/// <summary>The outcome of one estimate, as the workbench shows and keeps it.</summary>
/// <param name="Title">The library's title, e.g. "Training estimate (analytical)".</param>
/// <param name="Kind"><c>training</c>, <c>inference</c> or <c>gemm</c>.</param>
/// <param name="Summary">The library's one-line summary (<c>ToString()</c>).</param>
/// <param name="Metrics">Every figure, with units.</param>
/// <param name="TimeBreakdownTitle">What <see cref="TimeBreakdown"/> shows.</param>
/// <param name="TimeBreakdown">Where the time goes.</param>
/// <param name="Memory">Memory at the peak, when estimated.</param>
/// <param name="Warnings">Validation warnings and "does not fit".</param>
/// <param name="Json">The library's <c>ToJson()</c>.</param>
/// <param name="Csv">The library's <c>ToCsv()</c>.</param>
/// <param name="Markdown">The library's <c>ToMarkdown()</c>.</param>
public sealed record EstimateOutcome(
    string Title,
    string Kind,
    string Summary,
    IReadOnlyList<MetricRow> Metrics,
    string TimeBreakdownTitle,
    IReadOnlyList<TimeSlice> TimeBreakdown,
    MemoryPicture? Memory,
    IReadOnlyList<string> Warnings,
    string Json,
    string Csv,
    string Markdown)
{
    /// <summary>The main time: time per batch (training), total time (inference) or the GEMM's total.</summary>
    public double? TimeSeconds => Find("time per batch") ?? Find("total time") ?? Find("total");

    /// <summary>Tokens per second: trained tokens (training) or aggregate generated tokens (inference).</summary>
    public double? TokensPerSecond { get; init; }

    /// <summary>The value of a metric by name, or null.</summary>
    /// <param name="metric">The name.</param>
    /// <returns>The value.</returns>
    public double? Find(string metric) => Metrics.FirstOrDefault(m => m.Metric == metric)?.Value;
}

/// <summary>One setting a sweep varies.</summary>
/// <param name="FieldId">The form field (<see cref="Setup.FormFields"/>).</param>
/// <param name="Label">Its label.</param>
/// <param name="YamlPath">Its path in the file's schema.</param>
/// <param name="Values">The values, as written in YAML.</param>
public sealed record SweepAxis(string FieldId, string Label, string YamlPath, IReadOnlyList<string> Values);

/// <summary>One point of a sweep.</summary>
/// <param name="Values">The axes' values, in axis order.</param>
/// <param name="Error">Why the point could not be estimated (invalid combination), or null.</param>
/// <param name="TimeSeconds">The main time (see <see cref="EstimateOutcome.TimeSeconds"/>).</param>
/// <param name="TokensPerSecond">Throughput.</param>
/// <param name="PeakMemoryBytes">Per-GPU peak.</param>
/// <param name="CapacityBytes">Per-GPU capacity.</param>
/// <param name="Warnings">Warnings of this point.</param>
public sealed record SweepPoint(
    IReadOnlyList<string> Values,
    string? Error,
    double? TimeSeconds,
    double? TokensPerSecond,
    double? PeakMemoryBytes,
    double? CapacityBytes,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The peak fits (or memory was not estimated).</summary>
    public bool Fits => PeakMemoryBytes is not { } p || CapacityBytes is not { } c || p <= c;
}

/// <summary>The outcome of a sweep.</summary>
/// <param name="Axes">The varied settings (one or two).</param>
/// <param name="Points">Every point, the first axis varying slowest.</param>
/// <param name="Json">The sweep as JSON.</param>
/// <param name="Csv">The sweep as CSV.</param>
public sealed record SweepOutcome(IReadOnlyList<SweepAxis> Axes, IReadOnlyList<SweepPoint> Points, string Json, string Csv);

/// <summary>One candidate of a configuration search, as the workbench shows and keeps it (the library's <c>SearchCandidate</c>, flattened).</summary>
/// <param name="Rank">1 for the best; the library's order (those that fit by the objective, then the others by peak memory).</param>
/// <param name="Label">The configuration, e.g. <c>tp8 cp1 pp4 dp2 mb8 z1 selective gpipe</c>.</param>
/// <param name="Tp">Tensor parallelism.</param>
/// <param name="Cp">Context parallelism.</param>
/// <param name="Pp">Pipeline stages.</param>
/// <param name="Dp">Training data parallelism (1 for inference).</param>
/// <param name="Ep">Training expert parallelism (1 for dense models and inference).</param>
/// <param name="MicroBatches">Pipeline micro-batches (1 for inference).</param>
/// <param name="ZeroStage">ZeRO stage (0 for inference).</param>
/// <param name="FullRecompute">Full activation recomputation (false: selective).</param>
/// <param name="Schedule">The pipeline schedule's YAML name (<c>gpipe</c>, <c>1f1b</c>, <c>interleaved_1f1b</c>).</param>
/// <param name="VirtualStages">Model chunks per stage (1 unless interleaved).</param>
/// <param name="Replicas">Inference replicas (1 for training).</param>
/// <param name="Batch">Inference sequences per replica (1 for training, which keeps the model's batch).</param>
/// <param name="Gpus">GPUs used.</param>
/// <param name="TimeSeconds">Time per batch (training) or total time of one batch (inference).</param>
/// <param name="TimeToFirstTokenSeconds">Inference: time to first token.</param>
/// <param name="TokensPerSecond">Trained tokens per second, or generated tokens per second over all replicas.</param>
/// <param name="ModelFlopsUtilization">MFU, a fraction.</param>
/// <param name="PeakMemoryBytes">Per-GPU peak of the busiest GPU.</param>
/// <param name="CapacityBytes">Per-GPU capacity.</param>
/// <param name="Fits">Fits within the capacity less the headroom.</param>
/// <param name="EnergyJoules">Dynamic energy of one batch over all GPUs.</param>
/// <param name="OnFront">On the Pareto front (no fitting candidate is better on time, memory and GPUs at once).</param>
/// <param name="SequenceParallel">Tensor parallelism with sequence parallelism (<c>parallelism.tp_sp</c>); true at tp 1.</param>
public sealed record SearchCandidateRow(
    int Rank,
    string Label,
    int Tp,
    int Cp,
    int Pp,
    int Dp,
    int Ep,
    int MicroBatches,
    int ZeroStage,
    bool FullRecompute,
    string Schedule,
    int VirtualStages,
    int Replicas,
    int Batch,
    int Gpus,
    double? TimeSeconds,
    double? TimeToFirstTokenSeconds,
    double TokensPerSecond,
    double ModelFlopsUtilization,
    double PeakMemoryBytes,
    double CapacityBytes,
    bool Fits,
    double EnergyJoules,
    bool OnFront,
    bool SequenceParallel = true)
{
    /// <summary>The schedule for people: <c>gpipe</c>, <c>1f1b</c>, <c>interleaved_1f1b (v=2)</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ScheduleLabel => Schedule == "interleaved_1f1b" ? $"{Schedule} (v={VirtualStages})" : Schedule;
}

/// <summary>The outcome of a configuration search.</summary>
/// <param name="Inference">An inference search (else training).</param>
/// <param name="Gpus">The GPU count searched for.</param>
/// <param name="Objective">What candidates that fit are ranked by, in words.</param>
/// <param name="Space">The axes searched, in words (e.g. <c>tp 1, 2, 4, 8; ZeRO 0-3; every schedule</c>).</param>
/// <param name="Evaluated">Candidates estimated.</param>
/// <param name="Feasible">Of those, the ones that fit.</param>
/// <param name="Pruned">Candidates skipped because their memory lower bound exceeds the capacity.</param>
/// <param name="Rejected">Candidates the validator refused.</param>
/// <param name="CapacityBytes">Per-GPU capacity.</param>
/// <param name="MemoryHeadroom">Fraction of memory kept free.</param>
/// <param name="Candidates">Every estimated candidate, ranked.</param>
/// <param name="Json">The library's <c>rapid-llm-search/1</c> JSON.</param>
/// <param name="Csv">The library's CSV.</param>
public sealed record SearchOutcome(
    bool Inference,
    int Gpus,
    string Objective,
    string Space,
    int Evaluated,
    int Feasible,
    int Pruned,
    int Rejected,
    double CapacityBytes,
    double MemoryHeadroom,
    IReadOnlyList<SearchCandidateRow> Candidates,
    string Json,
    string Csv)
{
    /// <summary>The best candidate that fits, or null when none fits.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public SearchCandidateRow? Best => Candidates.Count > 0 && Candidates[0].Fits ? Candidates[0] : null;

    /// <summary>The Pareto front, best objective first.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<SearchCandidateRow> Front => Candidates.Where(c => c.OnFront);
}

/// <summary>How far a run has got.</summary>
/// <param name="Completed">Steps done.</param>
/// <param name="Total">Steps in all.</param>
/// <param name="Fitting">A search: candidates so far that fit in memory; null otherwise.</param>
public readonly record struct RunProgress(int Completed, int Total, int? Fitting = null)
{
    /// <summary>Done as a fraction in [0, 1].</summary>
    public double Fraction => Total <= 0 ? 0 : Math.Clamp(Completed / (double)Total, 0, 1);
}

/// <summary>One run in the history: what was run, on what, and what came out. Kept on disk as <c>run.json</c>.</summary>
public sealed record RunRecord
{
    /// <summary>A unique id, also the folder name (<c>yyyyMMdd-HHmmss-xxxxxx</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The kind of run.</summary>
    public required RunKind Kind { get; init; }

    /// <summary>A short title, e.g. "Llama2-7B.yaml on a100_80GB.yaml".</summary>
    public required string Title { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>The hardware file's name.</summary>
    public required string HardwareName { get; init; }

    /// <summary>The hardware YAML as run.</summary>
    public required string HardwareYaml { get; init; }

    /// <summary>The model file's name.</summary>
    public required string ModelName { get; init; }

    /// <summary>The model YAML as run.</summary>
    public required string ModelYaml { get; init; }

    /// <summary>The backend, in words.</summary>
    public required string Backend { get; init; }

    /// <summary>Where it stands.</summary>
    public RunStatus Status { get; init; } = RunStatus.Running;

    /// <summary>Why it failed, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>Wall-clock seconds it took.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>An estimate's outcome.</summary>
    public EstimateOutcome? Estimate { get; init; }

    /// <summary>A sweep's outcome.</summary>
    public SweepOutcome? Sweep { get; init; }

    /// <summary>A search's outcome.</summary>
    public SearchOutcome? Search { get; init; }

    /// <summary>For an estimate of a search's candidate: the search run's id, else null.</summary>
    public string? SearchRunId { get; init; }

    /// <summary>For an estimate of a search's candidate: its rank in that search, else null.</summary>
    public int? CandidateRank { get; init; }

    /// <summary>The JSON result to download, or null while there is none.</summary>
    public string? ResultJson => Estimate?.Json ?? Sweep?.Json ?? Search?.Json;

    /// <summary>The CSV result to download, or null.</summary>
    public string? ResultCsv => Estimate?.Csv ?? Sweep?.Csv ?? Search?.Csv;
}
