using System.Collections.Immutable;

namespace RapidLlm.Validation;

/// <summary>The outcome of a calibration: chosen values, the overlay that applies them, and errors before and after.</summary>
/// <param name="Values">Chosen value per parameter path.</param>
/// <param name="Overlay">YAML overlay setting every chosen value.</param>
/// <param name="Before">Suite results with the uncalibrated hardware file.</param>
/// <param name="After">Suite results with the overlay applied.</param>
public sealed record CalibrationResult(
    ImmutableSortedDictionary<string, double> Values,
    string Overlay,
    IReadOnlyList<SuiteResult> Before,
    IReadOnlyList<SuiteResult> After);
