using RapidLlm.Common;
using RapidLlm.Interactive.Charts;
using RapidLlm.Memory;
using RapidLlm.Results;

namespace RapidLlm.Interactive;

/// <summary>
/// Self-contained SVG charts of RapidLlm results (no script, no external style, no dependency), for notebooks, HTML
/// reports and web pages. Every chart has a title, labelled axes with units, and a tooltip on each mark.
/// </summary>
public static partial class SvgCharts
{
    private static readonly string[] ComponentNames = ["weights", "gradients", "optimizer states", "activations", "KV cache", "ZeRO-3 gathers", "other static"];

    /// <summary>
    /// The memory one GPU holds at its peak, split into weights, gradients, optimizer states, activations, KV cache,
    /// ZeRO-3 gathers and other static memory, as one bar against a dashed capacity line.
    /// </summary>
    /// <param name="memory">A memory estimate (<c>estimate.Memory</c> or <c>EstimateMemory()</c>).</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    public static string MemoryBreakdown(MemoryEstimate memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        const double gib = 1024.0 * 1024.0 * 1024.0;
        var report = memory.Report;
        var peak = report.PeakGib * gib;
        IReadOnlyList<BarSegment> segments = memory.PeakBreakdown is { } b
            ? Components(b)
            : [new BarSegment("peak", peak)];
        (double, string)? capacity = report.CapacityGib is { } c ? (c * gib, "capacity") : null;
        var verdict = report.CapacityGib is { } cap
            ? $" of {Quantity.Bytes(cap * gib)} ({(report.Fits ? "fits" : "does not fit")})"
            : "";
        return StackedBarChart.Render($"Memory per GPU at the peak: {Quantity.Bytes(peak)}{verdict}", segments, AxisQuantity.Bytes, capacity);
    }

    /// <summary>Where the time of one GEMM goes: forward and backward compute and each reduction, as one stacked bar.</summary>
    /// <param name="gemm">A GEMM estimate.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    public static string TimeBreakdown(GemmModeEstimate gemm)
    {
        ArgumentNullException.ThrowIfNull(gemm);
        BarSegment[] segments =
        [
            new("forward compute", gemm.ForwardComputeSeconds),
            new("forward reduction", gemm.ForwardReductionSeconds),
            new("backward compute", gemm.BackwardComputeSeconds),
            new("backward tensor-parallel reduction", gemm.BackwardTensorReductionSeconds),
            new("data-parallel reduction", gemm.DataParallelReductionSeconds),
        ];
        return StackedBarChart.Render($"GEMM {gemm.M}×{gemm.K}×{gemm.N}: {Quantity.Seconds(gemm.TotalSeconds)}", segments, AxisQuantity.Seconds, null);
    }

    /// <summary>Each of the series' durations against the swept setting (the x axis), one line per time metric.</summary>
    /// <param name="series">The series.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    public static string Time(EstimateSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var lines = series.TimeMetrics
            .Select((name, m) => new ChartLine(name, series.Points.Select(p => (double?)p.Seconds[m]).ToList()))
            .ToList();
        var valueName = series.TimeMetrics.Count == 1 ? series.TimeMetrics[0] : "time";
        return LineChart.Render(Capitalised(valueName), series.SettingName, Settings(series), lines, AxisQuantity.Seconds, valueName);
    }

    /// <summary>
    /// Peak memory per GPU against the swept setting with each setting's capacity dashed; a setting whose peak does not
    /// fit is drawn hollow in red.
    /// </summary>
    /// <param name="series">The series.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element.</returns>
    public static string Memory(EstimateSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var line = new ChartLine("peak memory per GPU", series.Points.Select(p => p.PeakMemoryBytes).ToList());
        var limits = series.Points.Any(p => p.CapacityBytes is not null) ? series.Points.Select(p => p.CapacityBytes).ToList() : null;
        return LineChart.Render("Peak memory per GPU", series.SettingName, Settings(series), [line], AxisQuantity.Bytes, "memory per GPU", limits);
    }

    internal static List<BarSegment> Components(MemoryComponentBreakdown b)
    {
        double[] bytes = [b.WeightBytes, b.GradientBytes, b.OptimizerBytes, b.ActivationBytes, b.KvCacheBytes, b.EphemeralBytes, b.OtherStaticBytes];
        return bytes.Select((value, i) => new BarSegment(ComponentNames[i], value)).ToList();
    }

    private static List<string> Settings(EstimateSeries series) => series.Points.Select(p => p.Setting).ToList();

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
