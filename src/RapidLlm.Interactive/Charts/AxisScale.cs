using System.Globalization;

namespace RapidLlm.Interactive.Charts;

/// <summary>The kind of quantity an axis shows, which decides its unit.</summary>
internal enum AxisQuantity
{
    Seconds,
    Bytes,
    TokensPerSecond,
}

/// <summary>
/// A linear axis from zero (or a round minimum) to a round maximum, with round ticks and one unit chosen for the whole
/// axis ("ms", "GiB") so every tick label is a short plain number.
/// </summary>
/// <param name="Maximum">The top of the axis, in base units (seconds, bytes, tokens per second).</param>
/// <param name="Step">Distance between ticks, in base units.</param>
/// <param name="UnitScale">Base units per displayed unit (1e-3 for ms, 2^30 for GiB).</param>
/// <param name="Unit">The displayed unit's symbol.</param>
/// <param name="Minimum">The bottom of the axis, in base units; zero unless the axis was zoomed with <see cref="Between"/>.</param>
internal sealed record AxisScale(double Maximum, double Step, double UnitScale, string Unit, double Minimum = 0)
{
    private static readonly (double Scale, string Unit)[] TimeUnits = [(1e-9, "ns"), (1e-6, "µs"), (1e-3, "ms"), (1, "s")];

    private static readonly (double Scale, string Unit)[] ByteUnits =
        [(1, "B"), (1024, "KiB"), (1024.0 * 1024, "MiB"), (1024.0 * 1024 * 1024, "GiB"), (1024.0 * 1024 * 1024 * 1024, "TiB")];

    private static readonly (double Scale, string Unit)[] RateUnits = [(1, "tok/s"), (1e3, "k tok/s"), (1e6, "M tok/s"), (1e9, "G tok/s")];

    /// <summary>The tick values from zero to the maximum, in base units.</summary>
    public IEnumerable<double> Ticks()
    {
        var count = (int)Math.Round((Maximum - Minimum) / Step);
        for (var i = 0; i <= count; i++) yield return Minimum + i * Step;
    }

    /// <summary>Where a value lies along the axis: 0 at the minimum, 1 at the maximum.</summary>
    /// <param name="baseValue">The value in base units.</param>
    public double Fraction(double baseValue) => (baseValue - Minimum) / (Maximum - Minimum);

    /// <summary>A tick value in the axis unit, without the unit: "0", "2.5", "40".</summary>
    /// <param name="baseValue">The value in base units.</param>
    public string Label(double baseValue) => (baseValue / UnitScale).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>An axis that holds values up to <paramref name="largest"/> with about four to six ticks.</summary>
    /// <param name="largest">The largest value to show, in base units; zero or less gives a unit axis.</param>
    /// <param name="quantity">Seconds, bytes or tokens per second.</param>
    public static AxisScale For(double largest, AxisQuantity quantity)
    {
        var units = Units(quantity);
        if (!(largest > 0) || !double.IsFinite(largest)) largest = units[^1].Scale;
        var (scale, unit) = UnitFor(units, largest);
        var scaled = largest / scale;
        var step = NiceStep(scaled / 4);
        var maximum = Math.Ceiling(scaled / step - 1e-9) * step;
        return new AxisScale(maximum * scale, step * scale, scale, unit);
    }

    /// <summary>
    /// An axis zoomed on the values from <paramref name="lowest"/> to <paramref name="largest"/>: round ends just outside
    /// them, about four to six ticks, never below zero.
    /// </summary>
    /// <param name="lowest">The smallest value to show, in base units.</param>
    /// <param name="largest">The largest value to show, in base units.</param>
    /// <param name="quantity">Seconds, bytes or tokens per second.</param>
    public static AxisScale Between(double lowest, double largest, AxisQuantity quantity)
    {
        if (!double.IsFinite(lowest) || !double.IsFinite(largest) || !(largest > 0)) return For(largest, quantity);
        lowest = Math.Max(0, Math.Min(lowest, largest));
        // A flat range gets a tenth of its value either side, so one point still sits inside a readable axis.
        if (largest - lowest < largest * 1e-6)
        {
            lowest = Math.Max(0, lowest - largest * 0.1);
            largest *= 1.1;
        }

        var (scale, unit) = UnitFor(Units(quantity), largest);
        var step = NiceStep((largest - lowest) / scale / 4);
        var minimum = Math.Floor(lowest / scale / step + 1e-9) * step;
        var maximum = Math.Ceiling(largest / scale / step - 1e-9) * step;
        if (maximum <= minimum) maximum = minimum + step;
        return new AxisScale(maximum * scale, step * scale, scale, unit, minimum * scale);
    }

    private static (double Scale, string Unit)[] Units(AxisQuantity quantity) => quantity switch
    {
        AxisQuantity.Seconds => TimeUnits,
        AxisQuantity.Bytes => ByteUnits,
        _ => RateUnits,
    };

    private static (double Scale, string Unit) UnitFor((double Scale, string Unit)[] units, double largest)
    {
        var chosen = units[0];
        foreach (var candidate in units)
        {
            if (largest >= candidate.Scale) chosen = candidate;
        }

        return chosen;
    }

    /// <summary>The round number (1, 2, 2.5 or 5 times a power of ten) at or above <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var factor in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (factor * power >= rough * (1 - 1e-9)) return factor * power;
        }

        return 10 * power;
    }
}
