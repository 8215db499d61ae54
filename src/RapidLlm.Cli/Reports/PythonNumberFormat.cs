using System.Globalization;
using System.Numerics;
using System.Text;

namespace RapidLlm.Reports;

/// <summary>
/// Formats numbers exactly as Python's <c>format()</c> and <c>repr()</c> do, so the text outputs match the reference
/// character for character (Python rounds the exact binary value half-to-even; .NET does not always).
/// </summary>
internal static class PythonNumberFormat
{
    /// <summary>Python's <c>f"{value:.{digits}f}"</c>.</summary>
    /// <param name="value">The number.</param>
    /// <param name="digits">Digits after the decimal point.</param>
    public static string Fixed(double value, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var (negative, integerDigits) = RoundExact(value, digits);
        var text = integerDigits.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        var builder = new StringBuilder();
        if (negative) builder.Append('-');
        builder.Append(text, 0, text.Length - digits);
        if (digits > 0) builder.Append('.').Append(text, text.Length - digits, digits);
        return builder.ToString();
    }

    /// <summary>Python's <c>repr(value)</c> for a float: the shortest text that round-trips.</summary>
    /// <param name="value">The number.</param>
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        var (negative, digits, exponent) = ShortestDigits(value);
        var sign = negative ? "-" : "";
        if (exponent < -4 || exponent >= 16) return sign + Scientific(digits, exponent);
        return sign + PlaceDecimalPoint(digits, exponent, minimumFractionDigits: 1);
    }

    /// <summary>Python's <c>f"{value:.{precision}}"</c> (general format without a type letter).</summary>
    /// <param name="value">The number.</param>
    /// <param name="precision">Significant digits.</param>
    public static string General(double value, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 1);
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        var negative = value < 0;
        var magnitude = Math.Abs(value);
        // Round to `precision` significant digits on the exact binary value, half to even.
        var exponent = (int)Math.Floor(Math.Log10(magnitude));
        var (_, rounded) = RoundExact(magnitude, precision - 1 - exponent);
        var digits = rounded.ToString(CultureInfo.InvariantCulture);
        if (digits.Length > precision)
        {
            exponent += digits.Length - precision;
            digits = digits[..precision];
        }
        else if (digits.Length < precision)
        {
            exponent -= precision - digits.Length;
            var (_, again) = RoundExact(magnitude, precision - 1 - exponent);
            digits = again.ToString(CultureInfo.InvariantCulture);
        }

        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        var sign = negative ? "-" : "";
        // Python switches to scientific notation one exponent earlier than the g format when no type letter is given.
        if (exponent < -4 || exponent >= precision - 1) return sign + Scientific(digits, exponent);
        return sign + PlaceDecimalPoint(digits, exponent, minimumFractionDigits: 1);
    }

    private static string Scientific(string digits, int exponent)
    {
        var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        var expSign = exponent < 0 ? "-" : "+";
        return mantissa + "e" + expSign + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string PlaceDecimalPoint(string digits, int exponent, int minimumFractionDigits)
    {
        string integerPart, fractionPart;
        if (exponent < 0)
        {
            integerPart = "0";
            fractionPart = new string('0', -exponent - 1) + digits;
        }
        else if (digits.Length > exponent + 1)
        {
            integerPart = digits[..(exponent + 1)];
            fractionPart = digits[(exponent + 1)..];
        }
        else
        {
            integerPart = digits + new string('0', exponent + 1 - digits.Length);
            fractionPart = "";
        }

        if (fractionPart.Length < minimumFractionDigits) fractionPart = fractionPart.PadRight(minimumFractionDigits, '0');
        return fractionPart.Length == 0 ? integerPart : integerPart + "." + fractionPart;
    }

    /// <summary>Shortest round-trip digits (no leading/trailing zeros) and the decimal exponent of the first digit.</summary>
    private static (bool Negative, string Digits, int Exponent) ShortestDigits(double value)
    {
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        // "R" gives the shortest round-trip text; normalise it to digits and exponent.
        var negative = shortest.StartsWith('-');
        if (negative) shortest = shortest[1..];
        var exponent = 0;
        var ePos = shortest.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(shortest[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            shortest = shortest[..ePos];
        }

        var point = shortest.IndexOf('.');
        var integerPart = point >= 0 ? shortest[..point] : shortest;
        var fractionPart = point >= 0 ? shortest[(point + 1)..] : "";
        var allDigits = integerPart + fractionPart;
        var firstNonZero = 0;
        while (firstNonZero < allDigits.Length - 1 && allDigits[firstNonZero] == '0') firstNonZero++;
        var decimalExponent = integerPart.Length - 1 - firstNonZero + exponent;
        var digits = allDigits[firstNonZero..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        return (negative, digits, decimalExponent);
    }

    /// <summary>
    /// Rounds |value|·10^digits to an integer, half to even, using the exact binary value (as CPython does).
    /// </summary>
    private static (bool Negative, BigInteger Rounded) RoundExact(double value, int digits)
    {
        var negative = double.IsNegative(value);
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        var rawExponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        int binaryExponent;
        if (rawExponent == 0)
        {
            binaryExponent = -1074;
        }
        else
        {
            mantissa |= 1L << 52;
            binaryExponent = rawExponent - 1075;
        }

        // value·10^digits = mantissa · 2^e · 10^digits = numerator / denominator exactly.
        BigInteger numerator = mantissa;
        BigInteger denominator = BigInteger.One;
        if (binaryExponent >= 0) numerator <<= binaryExponent;
        else denominator <<= -binaryExponent;
        if (digits >= 0) numerator *= BigInteger.Pow(10, digits);
        else denominator *= BigInteger.Pow(10, -digits);

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        var comparison = twice.CompareTo(denominator);
        if (comparison > 0 || (comparison == 0 && !quotient.IsEven)) quotient += 1;
        return (negative, quotient);
    }
}
