using System.Globalization;

namespace RapidLlm.Interactive.Charts;

/// <summary>The kind of quantity an axis shows, which decides its unit.</summary>
internal enum AxisQuantity
{
    Seconds,
    Bytes,
}

/// <summary>
/// A linear axis from zero to a round maximum, with round ticks and one unit chosen for the whole axis
/// ("ms", "GiB") so every tick label is a short plain number.
/// </summary>
/// <param name="Maximum">The top of the axis, in base units (seconds, bytes).</param>
/// <param name="Step">Distance between ticks, in base units.</param>
/// <param name="UnitScale">Base units per displayed unit (1e-3 for ms, 2^30 for GiB).</param>
/// <param name="Unit">The displayed unit's symbol.</param>
internal sealed record AxisScale(double Maximum, double Step, double UnitScale, string Unit)
{
    private static readonly (double Scale, string Unit)[] TimeUnits = [(1e-9, "ns"), (1e-6, "µs"), (1e-3, "ms"), (1, "s")];

    private static readonly (double Scale, string Unit)[] ByteUnits =
        [(1, "B"), (1024, "KiB"), (1024.0 * 1024, "MiB"), (1024.0 * 1024 * 1024, "GiB"), (1024.0 * 1024 * 1024 * 1024, "TiB")];

    /// <summary>The tick values from zero to the maximum, in base units.</summary>
    public IEnumerable<double> Ticks()
    {
        var count = (int)Math.Round(Maximum / Step);
        for (var i = 0; i <= count; i++) yield return i * Step;
    }

    /// <summary>A tick value in the axis unit, without the unit: "0", "2.5", "40".</summary>
    /// <param name="baseValue">The value in base units.</param>
    public string Label(double baseValue) => (baseValue / UnitScale).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>An axis that holds values up to <paramref name="largest"/> with about four to six ticks.</summary>
    /// <param name="largest">The largest value to show, in base units; zero or less gives a unit axis.</param>
    /// <param name="quantity">Seconds or bytes.</param>
    public static AxisScale For(double largest, AxisQuantity quantity)
    {
        var units = quantity == AxisQuantity.Seconds ? TimeUnits : ByteUnits;
        if (!(largest > 0) || !double.IsFinite(largest)) largest = units[^1].Scale;
        var (scale, unit) = units[0];
        foreach (var candidate in units)
        {
            if (largest >= candidate.Scale) (scale, unit) = candidate;
        }

        var scaled = largest / scale;
        var step = NiceStep(scaled / 4);
        var maximum = Math.Ceiling(scaled / step - 1e-9) * step;
        return new AxisScale(maximum * scale, step * scale, scale, unit);
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
