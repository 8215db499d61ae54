using System.Globalization;

namespace RapidLlm.Configuration.Yaml;

/// <summary>
/// The reference's conversion of string scalars: numeric text becomes a float, and "&lt;int&gt; &lt;prefix&gt;[B|b]" sizes
/// become bytes with binary prefixes (K, M, G, T = 2^10 … 2^40; <c>b</c> divides by 8). The order of the two tokens
/// does not matter and only the first two characters of the unit are read, so "100 GB/s" is 100·2^30.
/// Anything else is returned unchanged as a string.
/// </summary>
internal static partial class UnitString
{
    /// <summary>Converts one string the way the reference's loader does.</summary>
    public static ScalarValue Convert(string text)
    {
        if (TryParsePythonFloat(text, out var number)) return ScalarValue.OfFloat(number, text);

        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var digits = tokens.Where(IsAsciiDigits).ToList();
        var others = tokens.Where(t => !IsAsciiDigits(t)).ToList();
        if (digits.Count == 0 || others.Count == 0) return ScalarValue.OfString(text);

        var unit = others[0];
        long multiplier = unit[0] switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            'T' => 1L << 40,
            _ => 0,
        };
        if (multiplier == 0) return ScalarValue.OfString(text);
        var kind = unit.Length > 1 ? unit[1] : 'B';
        if (kind != 'B' && kind != 'b') return ScalarValue.OfString(text);

        // Python's integers never overflow; a count too large for a long becomes a (possibly infinite) float, which
        // the readers' ranges then reject.
        ScalarValue result;
        if (digits[0].Length > 18 || !long.TryParse(digits[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            var approximate = double.Parse(digits[0], NumberStyles.None, CultureInfo.InvariantCulture);
            result = ScalarValue.OfFloat(kind == 'b' ? approximate * (multiplier / 8.0) : approximate * multiplier, text);
        }
        else if (kind == 'b')
        {
            result = ScalarValue.OfFloat(count * (multiplier / 8.0), text);
        }
        else
        {
            result = count <= long.MaxValue / multiplier ? ScalarValue.OfInt(count * multiplier, text) : ScalarValue.OfFloat((double)count * multiplier, text);
        }

        return result with { FromUnit = true };
    }

    /// <summary>
    /// Why a size string the reference reads loosely is not accepted here, or null when it has the documented form
    /// <c>&lt;integer&gt; &lt;unit&gt;</c> with a unit of KB, MB, GB, TB (bytes) or Kb, Mb, Gb, Tb (bits), optionally
    /// followed by <c>/s</c>. The reference reads only the first two letters of the unit, so "50 GBs" would be bytes and
    /// "50 Gbps" bits without anyone saying so.
    /// </summary>
    public static string? LooseUnitProblem(string text) =>
        StrictSize().IsMatch(text) ? null : $"'{YamlLimits.Quote(text.Trim(), 40)}' is not a size this tool reads unambiguously; {SizeForms}";

    /// <summary>A hint for a string that was meant as a size but is not one (no space, a fraction, a sign, an unknown unit).</summary>
    public static string? SizeHint(string text)
    {
        var t = text.Trim();
        if (CompactSize().IsMatch(t)) return $"put a space between the number and the unit ('{CompactSize().Replace(t, "$1 $2")}'); {SizeForms}";
        if (SizeLike().IsMatch(t)) return SizeForms;
        return null;
    }

    /// <summary>The documented size forms, for messages.</summary>
    public const string SizeForms =
        "write sizes and rates as '<integer> <unit>', unit KB, MB, GB or TB for bytes or Kb, Mb, Gb or Tb for bits (binary prefixes, 2^10 to 2^40), optionally followed by '/s', e.g. '80 GB' or '400 Gb/s'";

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*[0-9]+ +[KMGT][Bb](/s)?\s*$")]
    private static partial System.Text.RegularExpressions.Regex StrictSize();

    [System.Text.RegularExpressions.GeneratedRegex(@"^([0-9]+)([KMGT][Bb](?:/s)?)$")]
    private static partial System.Text.RegularExpressions.Regex CompactSize();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+]?[0-9._eE+-]+\s*[KkMmGgTtPp]i?[Bb]")]
    private static partial System.Text.RegularExpressions.Regex SizeLike();

    /// <summary>Python's <c>float(str)</c>: surrounding whitespace, underscores between digits, inf/nan words.</summary>
    public static bool TryParsePythonFloat(string text, out double value)
    {
        value = 0;
        var s = text.Trim();
        if (s.Length == 0) return false;
        var body = s.TrimStart('+', '-');
        if (body.Length < s.Length - 1) return false;
        var negative = s[0] == '-';
        switch (body.ToLowerInvariant())
        {
            case "inf" or "infinity":
                value = negative ? double.NegativeInfinity : double.PositiveInfinity;
                return true;
            case "nan":
                value = double.NaN;
                return true;
        }
        if (!ValidPythonUnderscores(body)) return false;
        var cleaned = body.Replace("_", "", StringComparison.Ordinal);
        if (cleaned.Length == 0 || !cleaned.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')) return false;
        if (!double.TryParse(cleaned, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
            return false;
        if (negative) value = -value;
        return true;
    }

    private static bool ValidPythonUnderscores(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '_') continue;
            if (i == 0 || i == s.Length - 1 || !char.IsAsciiDigit(s[i - 1]) || !char.IsAsciiDigit(s[i + 1])) return false;
        }
        return true;
    }

    private static bool IsAsciiDigits(string token) => token.Length > 0 && token.All(char.IsAsciiDigit);
}
