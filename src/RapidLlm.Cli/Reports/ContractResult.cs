namespace RapidLlm.Reports;

/// <summary>
/// The machine-readable result of one run in the <c>rapid-llm-result/1</c> schema (seconds, bytes, GiB, joules).
/// Blocks that do not apply to a run are <see langword="null"/> and are omitted from the JSON.
/// </summary>
/// <param name="Mode">"LLM" or "GEMM".</param>
/// <param name="RunType">"training", "inference" or "gemm".</param>
/// <param name="ExecutionBackend">"analytical", "hybrid", "full_astrasim_hierarchical" or "full_astrasim_flattened".</param>
/// <param name="NumGpus">Devices the run models.</param>
/// <param name="Training">Training figures.</param>
/// <param name="Inference">Inference figures.</param>
/// <param name="Memory">Per-GPU memory figures.</param>
/// <param name="Energy">Energy figures (inference; training under the calibrated model).</param>
/// <param name="Gemm">GEMM-mode figures.</param>
internal sealed record ContractResult(
    string Mode,
    string RunType,
    string ExecutionBackend,
    int NumGpus,
    ContractTraining? Training = null,
    ContractInference? Inference = null,
    ContractMemory? Memory = null,
    ContractEnergy? Energy = null,
    ContractGemm? Gemm = null)
{
    /// <summary>The schema identifier written into every result.</summary>
    public const string Schema = "rapid-llm-result/1";
}

/// <summary>The JSON <c>training</c> block.</summary>
/// <param name="TimePerBatchSeconds">Time for one global batch, all gradient-accumulation steps included.</param>
internal sealed record ContractTraining(double TimePerBatchSeconds);

/// <summary>The JSON <c>inference</c> block.</summary>
/// <param name="TotalSeconds">Prefill plus decode.</param>
/// <param name="PrefillSeconds">Prefill time.</param>
/// <param name="DecodeSeconds">Decode time.</param>
/// <param name="TimeToFirstTokenSeconds">Prefill plus the first decode step.</param>
/// <param name="DecodeRateStart">Sequences per second at the first decode step.</param>
/// <param name="DecodeRateMid">Sequences per second at the middle decode step.</param>
/// <param name="DecodeRateEnd">Sequences per second at the last decode step.</param>
/// <param name="AggregateTokensPerSecondStart">Tokens per second over all sequences and replicas, first step.</param>
/// <param name="AggregateTokensPerSecondMid">Tokens per second over all sequences and replicas, middle step.</param>
/// <param name="AggregateTokensPerSecondEnd">Tokens per second over all sequences and replicas, last step.</param>
internal sealed record ContractInference(
    double TotalSeconds,
    double PrefillSeconds,
    double DecodeSeconds,
    double TimeToFirstTokenSeconds,
    double? DecodeRateStart = null,
    double? DecodeRateMid = null,
    double? DecodeRateEnd = null,
    double? AggregateTokensPerSecondStart = null,
    double? AggregateTokensPerSecondMid = null,
    double? AggregateTokensPerSecondEnd = null);

/// <summary>The JSON <c>memory</c> block (GiB = 2^30 bytes, per GPU).</summary>
/// <param name="PeakGib">Peak memory per GPU.</param>
/// <param name="CapacityGib">Device memory capacity.</param>
/// <param name="Fits">Whether the peak fits in the capacity.</param>
/// <param name="PrefillPeakGib">Inference: peak during prefill.</param>
/// <param name="DecodePeakGib">Inference: peak at the final decode step.</param>
internal sealed record ContractMemory(
    double PeakGib,
    double CapacityGib,
    bool Fits,
    double? PrefillPeakGib = null,
    double? DecodePeakGib = null);

/// <summary>The JSON <c>energy</c> block (joules, watts).</summary>
/// <param name="PrefillJoules">Prefill energy (inference only).</param>
/// <param name="DecodeJoules">Decode energy (inference only).</param>
/// <param name="TotalJoules">Total energy.</param>
/// <param name="AveragePowerWattsPerGpu">Total energy / (GPUs counted × time).</param>
internal sealed record ContractEnergy(double? PrefillJoules, double? DecodeJoules, double TotalJoules, double? AveragePowerWattsPerGpu = null);

/// <summary>The JSON <c>gemm</c> block (seconds).</summary>
/// <param name="TotalSeconds">Total time.</param>
/// <param name="ForwardComputeSeconds">Forward GEMM compute.</param>
/// <param name="ForwardReductionSeconds">Forward tensor-parallel reduction.</param>
/// <param name="BackwardComputeSeconds">Backward GEMM compute (the true value, unlike the reference's summary file).</param>
/// <param name="BackwardReductionSeconds">Backward reduction, including the data-parallel reduction.</param>
/// <param name="DataParallelReductionSeconds">Data-parallel gradient reduction.</param>
internal sealed record ContractGemm(
    double TotalSeconds,
    double ForwardComputeSeconds,
    double ForwardReductionSeconds,
    double BackwardComputeSeconds,
    double BackwardReductionSeconds,
    double DataParallelReductionSeconds);
