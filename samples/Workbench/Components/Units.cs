using RapidLlm.Common;
using System.Globalization;
using RapidLlm.Results;

namespace RapidLlm.Workbench.Components;

/// <summary>Numbers with units for people, using the library's formats where it has one.</summary>
public static class Units
{
    /// <summary>A duration ("6.68 s", "12.3 ms").</summary>
    /// <param name="seconds">Seconds.</param>
    /// <returns>Text.</returns>
    public static string Seconds(double seconds) => Quantity.Seconds(seconds);

    /// <summary>A size in binary units ("13.4 GiB").</summary>
    /// <param name="bytes">Bytes.</param>
    /// <returns>Text.</returns>
    public static string Bytes(double bytes) => Quantity.Bytes(bytes);

    /// <summary>A token rate with an SI prefix ("53.7 k tok/s").</summary>
    /// <param name="tokensPerSecond">Tokens per second.</param>
    /// <returns>Text.</returns>
    public static string TokenRate(double tokensPerSecond)
    {
        var magnitude = Math.Abs(tokensPerSecond);
        var (scale, prefix) = magnitude >= 1e9 ? (1e9, "G ") : magnitude >= 1e6 ? (1e6, "M ") : magnitude >= 1e3 ? (1e3, "k ") : (1, "");
        return (tokensPerSecond / scale).ToString(magnitude / scale >= 100 ? "F0" : "0.##", CultureInfo.InvariantCulture) + " " + prefix + "tok/s";
    }

    /// <summary>A fraction as a percentage ("41.2 %").</summary>
    /// <param name="fraction">The fraction.</param>
    /// <returns>Text.</returns>
    public static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";

    /// <summary>A value of a sweep axis's unit: bytes for quantities such as "80 GB", else the number.</summary>
    /// <param name="value">The value.</param>
    /// <param name="unit">The row's unit symbol.</param>
    /// <returns>Text.</returns>
    public static string Of(double value, string unit) => unit switch
    {
        "s" => Seconds(value),
        "B" => Bytes(value),
        "tok/s" => TokenRate(value),
        "1" => Percent(value),
        "J" => Quantity.Joules(value),
        _ => value.ToString("G6", CultureInfo.InvariantCulture),
    };

    /// <summary>A short duration for an axis tick ("2000 s", "1.5 ms").</summary>
    /// <param name="seconds">Seconds.</param>
    /// <returns>Text.</returns>
    public static string SecondsShort(double seconds)
    {
        var magnitude = Math.Abs(seconds);
        var (scale, prefix) = magnitude == 0 || magnitude >= 1 ? (1.0, "") : magnitude >= 1e-3 ? (1e-3, "m") : magnitude >= 1e-6 ? (1e-6, "µ") : (1e-9, "n");
        return Short(seconds / scale) + " " + prefix + "s";
    }

    /// <summary>A short rate for an axis tick ("7.5k", "1.2M"); the unit is in the caption.</summary>
    /// <param name="perSecond">Per second.</param>
    /// <returns>Text.</returns>
    public static string RateShort(double perSecond)
    {
        var magnitude = Math.Abs(perSecond);
        var (scale, prefix) = magnitude >= 1e9 ? (1e9, "G") : magnitude >= 1e6 ? (1e6, "M") : magnitude >= 1e3 ? (1e3, "k") : (1, "");
        return Short(perSecond / scale) + prefix;
    }

    /// <summary>A short binary size for an axis tick ("512 GiB", "1.5 TiB").</summary>
    /// <param name="bytes">Bytes.</param>
    /// <returns>Text.</returns>
    public static string BytesShort(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return Short(value) + " " + units[unit];
    }

    /// <summary>A local time for a run list.</summary>
    /// <param name="time">The time.</param>
    /// <returns>Text like "2025-01-02 13:45:07".</returns>
    public static string When(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Short(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture);
}
