namespace RapidLlm.Validation;

/// <summary>One hardware-file value a calibration fits, with the bounds it may take and what it means physically.</summary>
/// <param name="Path">Dotted YAML path, for example <c>calibration.compute.tensor_efficiency</c> (see <see cref="CalibrationParameter"/>).</param>
/// <param name="Lower">Smallest allowed value.</param>
/// <param name="Upper">Largest allowed value.</param>
/// <param name="Meaning">What the value is, in a few words (for reports).</param>
public sealed record FitParameter(string Path, double Lower, double Upper, string Meaning)
{
    /// <summary>The YAML overlay setting this parameter to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public string Overlay(double value) => new CalibrationParameter(Path, Common.EquatableArray<double>.Empty).Overlay(value);
}
