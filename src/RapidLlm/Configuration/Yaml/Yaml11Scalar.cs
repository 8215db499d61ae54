using System.Globalization;
using System.Text.RegularExpressions;

namespace RapidLlm.Configuration.Yaml;

/// <summary>
/// Types plain scalars the way PyYAML's <c>safe_load</c> does (YAML 1.1). Notably a float needs a dot and a
/// signed exponent, so <c>5e-6</c> and <c>1.41e9</c> stay strings here (the unit conversion then makes them floats).
/// </summary>
internal static partial class Yaml11Scalar
{
    [GeneratedRegex(@"^(?:~|null|Null|NULL|)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex(@"^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$")]
    private static partial Regex TruePattern();

    [GeneratedRegex(@"^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$")]
    private static partial Regex FalsePattern();

    [GeneratedRegex(@"^[-+]?(?:0|[1-9][0-9_]*)$")]
    private static partial Regex DecimalIntPattern();

    [GeneratedRegex(@"^[-+]?0x[0-9a-fA-F_]+$")]
    private static partial Regex HexIntPattern();

    [GeneratedRegex(@"^[-+]?0[0-7_]+$")]
    private static partial Regex OctalIntPattern();

    [GeneratedRegex(@"^[-+]?0b[01_]+$")]
    private static partial Regex BinaryIntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?\.(?:inf|Inf|INF)$")]
    private static partial Regex InfPattern();

    [GeneratedRegex(@"^\.(?:nan|NaN|NAN)$")]
    private static partial Regex NanPattern();

    /// <summary>Types a scalar; quoted scalars are always strings. Strings then go through <see cref="UnitString.Convert"/>.</summary>
    public static ScalarValue Resolve(string text, bool plain)
    {
        if (!plain) return UnitString.Convert(text);
        if (NullPattern().IsMatch(text)) return ScalarValue.Null(text);
        if (TruePattern().IsMatch(text)) return ScalarValue.OfBool(true, text);
        if (FalsePattern().IsMatch(text)) return ScalarValue.OfBool(false, text);
        if (DecimalIntPattern().IsMatch(text)) return ParseInt(text, 10, 0);
        if (HexIntPattern().IsMatch(text)) return ParseInt(text, 16, 2);
        if (BinaryIntPattern().IsMatch(text)) return ParseInt(text, 2, 2);
        if (OctalIntPattern().IsMatch(text)) return ParseInt(text, 8, 1);
        if (FloatPattern().IsMatch(text))
            return ScalarValue.OfFloat(double.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture), text);
        if (InfPattern().IsMatch(text)) return ScalarValue.OfFloat(text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity, text);
        if (NanPattern().IsMatch(text)) return ScalarValue.OfFloat(double.NaN, text);
        return UnitString.Convert(text);
    }

    private static ScalarValue ParseInt(string text, int radix, int prefixLength)
    {
        var negative = text[0] == '-';
        var body = text.TrimStart('+', '-')[prefixLength..].Replace("_", "", StringComparison.Ordinal);
        try
        {
            var value = body.Length == 0 ? 0 : System.Convert.ToInt64(body, radix);
            return ScalarValue.OfInt(negative ? -value : value, text);
        }
        catch (OverflowException)
        {
            return ScalarValue.OfFloat(double.Parse(body, CultureInfo.InvariantCulture) * (negative ? -1 : 1), text);
        }
    }
}
