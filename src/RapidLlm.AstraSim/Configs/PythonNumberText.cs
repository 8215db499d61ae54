using System.Globalization;

namespace RapidLlm.AstraSim.Configs;

/// <summary>
/// Formats numbers the way Python's <c>str(float)</c> and <c>format(x, "g")</c> do, so generated files are textually
/// identical to the reference's and hash the same in the content cache.
/// </summary>
internal static class PythonNumberText
{
    /// <summary>Python <c>str(value)</c> of a float: shortest round-trip digits, always with a decimal point or exponent.</summary>
    public static string Float(double value)
    {
        if (double.IsFinite(value) && value == Math.Floor(value) && Math.Abs(value) < 1e16)
        {
            return value.ToString("0", CultureInfo.InvariantCulture) + ".0";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return LowerExponent(text);
    }

    /// <summary>Python <c>format(value, "g")</c>: six significant digits.</summary>
    public static string General(double value) => LowerExponent(value.ToString("G6", CultureInfo.InvariantCulture));

    // Python writes exponents as e+06 / e-05 (at least two digits); .NET writes E+06 / E-05.
    private static string LowerExponent(string text)
    {
        var index = text.IndexOf('E', StringComparison.Ordinal);
        if (index < 0)
        {
            return text;
        }

        var sign = text[index + 1] is '+' or '-' ? text[index + 1] : '+';
        var digits = text[(index + 1)..].TrimStart('+', '-');
        return $"{text[..index]}e{sign}{digits.PadLeft(2, '0')}";
    }
}
