namespace RapidLlm.Validation;

/// <summary>
/// One published H100/H200 throughput pair at maximum load: the same model and request shape served on an H100 system
/// and an H200 system, each figure the whole system's output tokens per second.
/// </summary>
/// <param name="Source">Where the pair comes from (for example <c>trtllm-perf-overview</c>).</param>
/// <param name="Model">Model name as published.</param>
/// <param name="ModelFile">Path of the inference model YAML.</param>
/// <param name="H100Gpus">GPUs of the H100 system.</param>
/// <param name="H100Tp">Tensor-parallel degree per replica on H100 (replicas = GPUs / TP).</param>
/// <param name="H200Gpus">GPUs of the H200 system.</param>
/// <param name="H200Tp">Tensor-parallel degree per replica on H200.</param>
/// <param name="InputTokens">Prompt tokens per request.</param>
/// <param name="OutputTokens">Generated tokens per request.</param>
/// <param name="H100TokensPerSecond">Published H100 system output tokens per second.</param>
/// <param name="H200TokensPerSecond">Published H200 system output tokens per second.</param>
public sealed record MaxLoadPair(
    string Source,
    string Model,
    string ModelFile,
    int H100Gpus,
    int H100Tp,
    int H200Gpus,
    int H200Tp,
    int InputTokens,
    int OutputTokens,
    double H100TokensPerSecond,
    double H200TokensPerSecond)
{
    /// <summary>Published H200 / H100 throughput ratio.</summary>
    public double PublishedRatio => H200TokensPerSecond / H100TokensPerSecond;
}
