namespace RapidLlm.Configuration;

/// <summary>How a serving engine admits requests into its iterations (<c>serving.batching</c>).</summary>
public enum ServingBatching
{
    /// <summary>
    /// The batch's requests arrive together, are prefilled together and then decode together (one wave, a static
    /// batch): what a single benchmark wave or an offline batch runs.
    /// </summary>
    Static,

    /// <summary>
    /// Closed-loop concurrency with continuous (in-flight) batching: <c>global_batch_size</c> requests are always in
    /// flight; each completed request is replaced by a new one, whose prefill is fused into the running decode
    /// iterations. Times are the steady-state means of one request.
    /// </summary>
    Continuous,
}

/// <summary>
/// The serving engine that runs the model (YAML <c>serving</c>, calibrated model only): the host work it adds to every
/// iteration and request, whether its decode steps replay as CUDA graphs, and how it batches requests. Without it
/// (null) the calibrated model prices the bare kernels, as a CUDA-graph microbenchmark measures them.
/// </summary>
/// <param name="Engine">A label for reports, for example <c>vllm</c> or <c>tensorrt-llm</c> (<c>engine</c>); it selects nothing.</param>
/// <param name="StepOverheadSeconds">
/// Host work per engine iteration that does not overlap the GPU (<c>step_overhead</c>): scheduling, input preparation,
/// sampling and detokenisation between two forward passes.
/// </param>
/// <param name="RequestOverheadSeconds">
/// Fixed cost of one request outside the GPU (<c>request_overhead</c>): the client's HTTP round trip, tokenisation,
/// admission and streaming the first token back. It adds to the time to first token.
/// </param>
/// <param name="CudaGraphs">
/// Whether decode steps replay as CUDA graphs (<c>cuda_graphs</c>); null keeps <c>calibration.kernels.decode_cuda_graphs</c>.
/// </param>
/// <param name="Batching">How requests are batched (<c>batching</c>).</param>
/// <remarks>
/// A serving engine samples the first token from the prefill's logits, so a request of O output tokens runs one prefill
/// and O − 1 decode steps and its time to first token ends with the prefill. (Without a serving block an inference
/// estimate runs O decode steps, the first token after the first of them.)
/// </remarks>
public sealed record ServingEngineConfig(
    string Engine,
    double StepOverheadSeconds,
    double RequestOverheadSeconds,
    bool? CudaGraphs,
    ServingBatching Batching)
{
    /// <summary>An engine with no host overhead that batches statically and follows the calibration's CUDA-graph choice.</summary>
    public static ServingEngineConfig Bare { get; } = new("", 0, 0, null, ServingBatching.Static);

    /// <summary>Every problem with the values (empty when valid), each naming its YAML key.</summary>
    /// <returns>Messages.</returns>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!(StepOverheadSeconds is >= 0 and <= 1)) problems.Add($"serving.step_overhead must be between 0 and 1 s (got {StepOverheadSeconds}).");
        if (!(RequestOverheadSeconds is >= 0 and <= 60)) problems.Add($"serving.request_overhead must be between 0 and 60 s (got {RequestOverheadSeconds}).");
        if (Engine is null) problems.Add("serving.engine must not be null.");
        return problems;
    }
}
