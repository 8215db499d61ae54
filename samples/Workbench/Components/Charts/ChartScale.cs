using System.Globalization;

namespace RapidLlm.Workbench.Components.Charts;

/// <summary>A linear axis from data to pixels, with round tick values.</summary>
public sealed class ChartScale
{
    private readonly bool _log;

    private ChartScale(double min, double max, double pixelStart, double pixelEnd, IReadOnlyList<double> ticks, bool log = false)
    {
        _log = log;
        Min = min;
        Max = max;
        PixelStart = pixelStart;
        PixelEnd = pixelEnd;
        Ticks = ticks;
    }

    /// <summary>The smallest value on the axis.</summary>
    public double Min { get; }

    /// <summary>The largest value on the axis.</summary>
    public double Max { get; }

    /// <summary>The pixel of <see cref="Min"/>.</summary>
    public double PixelStart { get; }

    /// <summary>The pixel of <see cref="Max"/>.</summary>
    public double PixelEnd { get; }

    /// <summary>Round values between <see cref="Min"/> and <see cref="Max"/>.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>An axis covering the values (and zero when <paramref name="includeZero"/>), about <paramref name="tickCount"/> ticks.</summary>
    /// <param name="values">The data.</param>
    /// <param name="pixelStart">Pixel of the low end.</param>
    /// <param name="pixelEnd">Pixel of the high end.</param>
    /// <param name="includeZero">Start at zero.</param>
    /// <param name="tickCount">Ticks wanted.</param>
    /// <param name="binary">Round the ticks in binary units (KiB, MiB, GiB, …), for sizes in bytes.</param>
    /// <returns>The scale.</returns>
    public static ChartScale For(IEnumerable<double> values, double pixelStart, double pixelEnd, bool includeZero = true, int tickCount = 5, bool binary = false)
    {
        var finite = values.Where(double.IsFinite).ToList();
        var lo = finite.Count == 0 ? 0 : finite.Min();
        var hi = finite.Count == 0 ? 1 : finite.Max();
        if (includeZero) lo = Math.Min(lo, 0);
        if (hi <= lo) hi = lo + (lo == 0 ? 1 : Math.Abs(lo) * 0.1);
        // Sizes get steps that are round in the unit they are shown in (16 GiB, not 17.18 GB).
        var unit = binary ? Math.Pow(1024, Math.Max(0, Math.Floor(Math.Log(Math.Max(Math.Abs(hi), Math.Abs(lo)), 1024)))) : 1;
        var step = NiceStep((hi - lo) / unit / Math.Max(1, tickCount)) * unit;
        var min = Math.Floor(lo / step) * step;
        var max = Math.Ceiling(hi / step) * step;
        var ticks = new List<double>();
        for (var t = min; t <= max + step * 1e-9; t += step) ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return new ChartScale(min, max, pixelStart, pixelEnd, ticks);
    }

    /// <summary>
    /// A logarithmic axis over positive values (for times spanning more than a few times), ticks at 1, 2 and 5 of each
    /// decade; falls back to <see cref="For"/> when there is no positive value.
    /// </summary>
    /// <param name="values">The data.</param>
    /// <param name="pixelStart">Pixel of the low end.</param>
    /// <param name="pixelEnd">Pixel of the high end.</param>
    /// <returns>The scale.</returns>
    public static ChartScale Log(IEnumerable<double> values, double pixelStart, double pixelEnd)
    {
        var positive = values.Where(v => double.IsFinite(v) && v > 0).ToList();
        if (positive.Count == 0) return For(values, pixelStart, pixelEnd);
        var lo = positive.Min() / 1.15;
        var hi = positive.Max() * 1.15;
        if (hi / lo < 2) (lo, hi) = (lo / 1.5, hi * 1.5);
        var ticks = new List<double>();
        foreach (var steps in new[] { new[] { 1.0 }, [1.0, 2, 5], [1.0, 2, 3, 5, 7] })
        {
            ticks.Clear();
            for (var decade = Math.Floor(Math.Log10(lo)); decade <= Math.Ceiling(Math.Log10(hi)); decade++)
                ticks.AddRange(steps.Select(m => m * Math.Pow(10, decade)).Where(t => t >= lo && t <= hi));
            if (ticks.Count >= 3) break;
        }

        return new ChartScale(lo, hi, pixelStart, pixelEnd, ticks, log: true);
    }

    /// <summary>True for a logarithmic axis.</summary>
    public bool IsLog => _log;

    /// <summary>The pixel of a value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The pixel.</returns>
    public double Pixel(double value) => _log
        ? PixelStart + (Math.Log(Math.Max(value, Min)) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)) * (PixelEnd - PixelStart)
        : PixelStart + (value - Min) / (Max - Min) * (PixelEnd - PixelStart);

    /// <summary>A number for an SVG attribute.</summary>
    /// <param name="value">The number.</param>
    /// <returns>Invariant text with two decimals.</returns>
    public static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
