using System.Globalization;

namespace RapidLlm.Reports;

/// <summary>
/// Scales a number to an SI prefix with two decimals, as the reference prints energies ("88.64µ", "1.45", "0").
/// </summary>
internal static class SiPrefixFormat
{
    private static readonly string[] LargePrefixes = ["", "k", "M", "G"];
    private static readonly string[] SmallPrefixes = ["", "m", "µ", "n"];

    /// <summary>Formats <paramref name="value"/> with an SI prefix (no unit), two decimals.</summary>
    /// <param name="value">The value in base units.</param>
    public static string Format(double value)
    {
        if (value == 0) return "0";
        if (double.IsNaN(value) || value < 0) return PythonNumberFormat.Fixed(value, 2);
        if (double.IsPositiveInfinity(value)) return "inf";
        if (value > 1)
        {
            var index = Math.Min((int)Math.Floor(Math.Log10(value) / 3), LargePrefixes.Length - 1);
            return PythonNumberFormat.Fixed(value / Math.Pow(1000, index), 2) + LargePrefixes[index];
        }

        // Mirrors Python's -(log10(v) // 3): floor division, then negation.
        var small = Math.Min((int)-Math.Floor(Math.Log10(value) / 3), SmallPrefixes.Length - 1);
        return PythonNumberFormat.Fixed(value * Math.Pow(1000, small), 2) + SmallPrefixes[small];
    }

    /// <summary>Culture-invariant text of an integer.</summary>
    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
