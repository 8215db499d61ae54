namespace RapidLlm.Validation;

/// <summary>Summary of signed percent errors: count, mean and median of the absolute errors, mean signed error.</summary>
/// <param name="Count">Number of errors summarised.</param>
/// <param name="MeanAbsPercent">Mean of |error| in percent (NaN when empty).</param>
/// <param name="MedianAbsPercent">Median of |error| in percent (NaN when empty).</param>
/// <param name="MeanSignedPercent">Mean signed error in percent (NaN when empty).</param>
/// <param name="MaxAbsPercent">Largest |error| in percent (NaN when empty).</param>
public sealed record ErrorStatistics(int Count, double MeanAbsPercent, double MedianAbsPercent, double MeanSignedPercent, double MaxAbsPercent)
{
    /// <summary>Signed percent error: (predicted − measured) / measured × 100.</summary>
    /// <param name="predicted">The prediction.</param>
    /// <param name="measured">The measurement (non-zero).</param>
    public static double SignedPercent(double predicted, double measured) =>
        measured == 0 ? double.NaN : (predicted - measured) / measured * 100.0;

    /// <summary>Summarises <paramref name="signedPercentErrors"/>, ignoring NaN entries.</summary>
    /// <param name="signedPercentErrors">Signed percent errors.</param>
    public static ErrorStatistics From(IEnumerable<double> signedPercentErrors)
    {
        ArgumentNullException.ThrowIfNull(signedPercentErrors);
        var signed = signedPercentErrors.Where(e => !double.IsNaN(e)).ToArray();
        if (signed.Length == 0) return new ErrorStatistics(0, double.NaN, double.NaN, double.NaN, double.NaN);
        var abs = signed.Select(Math.Abs).Order().ToArray();
        var middle = abs.Length / 2;
        var median = abs.Length % 2 == 1 ? abs[middle] : 0.5 * (abs[middle - 1] + abs[middle]);
        return new ErrorStatistics(signed.Length, abs.Average(), median, signed.Average(), abs[^1]);
    }
}
