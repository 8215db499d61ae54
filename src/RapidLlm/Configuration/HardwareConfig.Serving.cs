namespace RapidLlm.Configuration;

public sealed partial record HardwareConfig
{
    /// <summary>
    /// The serving engine that runs inference (YAML <c>serving</c>, calibrated model only): per-iteration and
    /// per-request host work, CUDA graphs and request batching. Null (the default, and every shipped preset) prices the
    /// bare kernels.
    /// </summary>
    public ServingEngineConfig? Serving { get; init; }
}
