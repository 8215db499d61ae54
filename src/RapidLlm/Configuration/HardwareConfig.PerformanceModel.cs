namespace RapidLlm.Configuration;

public sealed partial record HardwareConfig
{
    /// <summary>
    /// The performance model that prices this hardware (YAML <c>performance_model</c> and <c>calibration</c>): the
    /// reference's by default, the calibrated one in RapidLlm's shipped presets.
    /// </summary>
    public PerformanceModelConfig PerformanceModel { get; init; } = PerformanceModelConfig.Reference;
}
