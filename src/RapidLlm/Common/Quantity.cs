using System.Globalization;

namespace RapidLlm.Common;

/// <summary>Prints durations, sizes, rates and energies with a sensible unit for people.</summary>
public static class Quantity
{
    /// <summary>A duration: "6.68 s", "12.3 ms", "840 µs".</summary>
    /// <param name="seconds">The duration in seconds.</param>
    public static string Seconds(double seconds) => Scaled(seconds, "s", [(1e-9, "n"), (1e-6, "µ"), (1e-3, "m"), (1, "")], minimumPower: 1);

    /// <summary>A size in binary units: "13.36 GiB".</summary>
    /// <param name="bytes">The size in bytes.</param>
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return Format(value) + " " + units[unit];
    }

    /// <summary>Energy: "17.9 J", "545 mJ".</summary>
    /// <param name="joules">The energy in joules.</param>
    public static string Joules(double joules) => Scaled(joules, "J", [(1e-9, "n"), (1e-6, "µ"), (1e-3, "m"), (1, ""), (1e3, "k"), (1e6, "M")], minimumPower: 1e6);

    /// <summary>A rate: "53.7 /s".</summary>
    /// <param name="perSecond">Events per second.</param>
    /// <param name="what">What is counted ("tok", "seq").</param>
    public static string Rate(double perSecond, string what) => Format(perSecond) + " " + what + "/s";

    private static string Scaled(double value, string unit, (double Scale, string Prefix)[] prefixes, double minimumPower)
    {
        if (value == 0 || !double.IsFinite(value)) return Format(value) + " " + unit;
        var magnitude = Math.Abs(value);
        var chosen = prefixes[0];
        foreach (var p in prefixes)
        {
            if (magnitude >= p.Scale && p.Scale <= minimumPower) chosen = p;
        }

        return Format(value / chosen.Scale) + " " + chosen.Prefix + unit;
    }

    private static string Format(double value)
    {
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        var magnitude = Math.Abs(value);
        var digits = magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : 3;
        return value.ToString("F" + digits, CultureInfo.InvariantCulture);
    }
}
