using System.Globalization;
using System.Xml.Linq;
using RapidLlm.Common;

namespace RapidLlm.Interactive.Tests;

/// <summary>Charts are well-formed stand-alone SVG with a title, labelled axes in units, and marks where the figures put them.</summary>
public class SvgChartTests
{
    private const double Gib = 1024.0 * 1024.0 * 1024.0;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Test]
    public void TheMemoryBreakdownStacksTheComponentsAgainstACapacityLine()
    {
        var memory = Estimates.Memory;
        var breakdown = memory.PeakBreakdown!;
        var svg = Parse(SvgCharts.MemoryBreakdown(memory));
        var bars = svg.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).ToList();
        var capacity = svg.Descendants(Svg + "line").Single(l => (string?)l.Attribute("stroke-dasharray") is not null);

        // The axis runs from 0 to 80 GiB (the capacity) over the 568 px between the margins.
        double X(double bytes) => 16 + 568 * bytes / (80 * Gib);
        Assert.Multiple(() =>
        {
            Assert.That(Title(svg), Is.EqualTo($"Memory per GPU at the peak: {Quantity.Bytes(memory.Report.PeakGib * Gib)} of 80.00 GiB (fits)"));
            Assert.That(bars.Select(b => b.Element(Svg + "title")!.Value), Is.EqualTo(new[]
            {
                $"weights: {Quantity.Bytes(breakdown.WeightBytes)}", $"gradients: {Quantity.Bytes(breakdown.GradientBytes)}",
                $"optimizer states: {Quantity.Bytes(breakdown.OptimizerBytes)}", $"activations: {Quantity.Bytes(breakdown.ActivationBytes)}",
                $"other static: {Quantity.Bytes(breakdown.OtherStaticBytes)}",
            }));
            Assert.That(Number(bars[^1], "x") + Number(bars[^1], "width"), Is.EqualTo(X(breakdown.TotalBytes)).Within(0.02));
            Assert.That(Number(capacity, "x1"), Is.EqualTo(X(80 * Gib)).Within(0.01));
            Assert.That(Texts(svg), Is.SupersetOf(new[] { "0", "20", "40", "60", "80", "GiB", "capacity 80.00 GiB", $"weights {Quantity.Bytes(breakdown.WeightBytes)}" }));
        });
    }

    [Test]
    public void AMemoryLineMarksAPointOverCapacityHollowAndSaysSo()
    {
        var series = new EstimateSeries("t", "tensor parallelism", ["time per batch"],
        [
            new EstimateSeriesPoint("1", new EquatableArray<double>([8.0]), 91 * Gib, 80 * Gib),
            new EstimateSeriesPoint("2", new EquatableArray<double>([11.0]), 55 * Gib, 80 * Gib),
        ]);
        var svg = Parse(SvgCharts.Memory(series));
        var points = svg.Descendants(Svg + "circle").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Title(svg), Is.EqualTo("Peak memory per GPU"));
            Assert.That(points.Select(p => (string?)p.Attribute("fill")), Is.EqualTo(new[] { "#FFFFFF", "#0072B2" }));
            Assert.That(points[0].Element(Svg + "title")!.Value, Is.EqualTo("tensor parallelism 1: peak memory per GPU 91.00 GiB (over the capacity)"));
            Assert.That(points[1].Element(Svg + "title")!.Value, Is.EqualTo("tensor parallelism 2: peak memory per GPU 55.00 GiB"));
            // 91 GiB × 1.04 rounds up to a 100 GiB axis: ticks every 25 GiB, the unit in the axis title.
            Assert.That(Texts(svg), Is.SupersetOf(new[] { "0", "25", "50", "75", "100", "memory per GPU (GiB)", "tensor parallelism", "1", "2", "capacity" }));
            Assert.That(svg.Descendants(Svg + "line").Count(l => (string?)l.Attribute("stroke-dasharray") == "5,3"), Is.EqualTo(3), "a capacity segment per setting and its legend");
        });
    }

    [Test]
    public void ATimeLineHasOnePolylinePerMetricThroughEveryPoint()
    {
        var series = EstimateSeries.Inference("tensor parallelism", [1, 2], Estimates.Inference);
        var svg = Parse(SvgCharts.Time(series));
        var lines = svg.Descendants(Svg + "polyline").ToList();
        var axis = Charts.AxisScale.For(series.Points.Max(p => p.Seconds.Max()) * 1.04, Charts.AxisQuantity.Seconds);
        double Y(double seconds) => 46 + 192 * (1 - seconds / axis.Maximum);
        var firstTotal = lines[0].Attribute("points")!.Value.Split(' ')[0].Split(',');
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(2), "total time and time to first token");
            Assert.That(Title(svg), Is.EqualTo("Time"));
            Assert.That(double.Parse(firstTotal[1], CultureInfo.InvariantCulture), Is.EqualTo(Y(series.Points[0].Seconds[0])).Within(0.01));
            Assert.That(Texts(svg), Does.Contain($"time ({axis.Unit})"));
            Assert.That(Texts(svg), Is.SupersetOf(new[] { "total time", "time to first token" }), "a legend names both lines");
        });
    }

    [Test]
    public void TheGemmBarShowsWhereTheTimeGoes()
    {
        var gemm = Estimates.Gemm();
        var svg = Parse(SvgCharts.TimeBreakdown(gemm));
        Assert.Multiple(() =>
        {
            Assert.That(Title(svg), Is.EqualTo($"GEMM 8192×8192×8192: {Quantity.Seconds(gemm.TotalSeconds)}"));
            Assert.That(Texts(svg), Does.Contain($"forward compute {Quantity.Seconds(gemm.ForwardComputeSeconds)}"));
            Assert.That(Texts(svg), Does.Contain($"backward compute {Quantity.Seconds(gemm.BackwardComputeSeconds)}"));
        });
    }

    [Test]
    public void TextIsEscaped()
    {
        var series = new EstimateSeries("a <b> & c", "x < y", ["t"], [new EstimateSeriesPoint("<1>", new EquatableArray<double>([1.0]), null, null)]);
        var svg = Parse(SvgCharts.Time(series));
        Assert.That(Texts(svg), Is.SupersetOf(new[] { "x < y", "<1>" }));
    }

    private static XElement Parse(string svg)
    {
        var root = XElement.Parse(svg);
        Assert.That(root.Name, Is.EqualTo(Svg + "svg"));
        return root;
    }

    private static string Title(XElement svg) => svg.Element(Svg + "title")!.Value;

    private static List<string> Texts(XElement svg) => svg.Descendants(Svg + "text").Select(t => t.Value).ToList();

    private static double Number(XElement element, string attribute) => double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);
}
