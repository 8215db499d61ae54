namespace RapidLlm.Configuration;

public sealed partial record HardwareConfig
{
    /// <summary>
    /// The performance model that prices this hardware (YAML <c>performance_model</c> and <c>calibration</c>): the
    /// reference's by default, the calibrated one in RapidLlm's shipped presets.
    /// </summary>
    internal PerformanceModelConfig PerformanceModel { get; init; } = PerformanceModelConfig.Reference;

    /// <summary>
    /// Which performance model prices this hardware (YAML <c>performance_model</c>): <see cref="PerformanceModelKind.Reference"/>
    /// by default, <see cref="PerformanceModelKind.Calibrated"/> in the shipped presets.
    /// </summary>
    public PerformanceModelKind PerformanceModelKind => PerformanceModel.Kind;
}
