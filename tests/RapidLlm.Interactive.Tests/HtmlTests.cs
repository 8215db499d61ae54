using RapidLlm.Common;

namespace RapidLlm.Interactive.Tests;

/// <summary>Each result's HTML is its figures as a table (the same text as its Markdown) followed by the right chart.</summary>
public class HtmlTests
{
    public static IEnumerable<TestCaseData> Results()
    {
        yield return new TestCaseData(new Func<(string, ResultTable)>(() => (Estimates.Training.ToHtml(), Estimates.Training.ToTable())), "Memory per GPU at the peak").SetName("Training");
        yield return new TestCaseData(new Func<(string, ResultTable)>(() => (Estimates.InferenceTp1.ToHtml(), Estimates.InferenceTp1.ToTable())), "Memory per GPU at the peak").SetName("Inference");
        yield return new TestCaseData(new Func<(string, ResultTable)>(() => (Estimates.Memory.ToHtml(), Estimates.Memory.ToTable())), "Memory per GPU at the peak").SetName("Memory");
        yield return new TestCaseData(new Func<(string, ResultTable)>(() => (Estimates.Gemm().ToHtml(), Estimates.Gemm().ToTable())), "GEMM 8192×8192×8192").SetName("Gemm");
    }

    [TestCaseSource(nameof(Results))]
    public void AnEstimateIsATableOfItsFiguresThenAChart(Func<(string Html, ResultTable Table)> make, string chartTitle)
    {
        var (html, table) = make();
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.StartWith($"<div class=\"rapidllm\">\n<table>\n<caption>{table.Title}</caption>"));
            foreach (var row in table.Rows)
                Assert.That(html, Does.Contain($"<td style=\"text-align:left\">{row.Metric.Trim()}</td><td style=\"text-align:right\">{row.Display}</td>"));
            Assert.That(html, Does.Contain("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            Assert.That(html, Does.Contain("<title>" + chartTitle));
            Assert.That(html.IndexOf("</table>", StringComparison.Ordinal), Is.LessThan(html.IndexOf("<svg", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void ASweepIsARowPerSettingThenTimeAndMemoryCharts()
    {
        var series = EstimateSeries.Inference("tensor parallelism", [1, 2], Estimates.Inference);
        var html = series.ToHtml();
        var row = series.Rows().First();
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<caption>Inference against tensor parallelism</caption>"));
            Assert.That(html, Does.Contain("<th style=\"text-align:left\">tensor parallelism</th><th style=\"text-align:right\">total time</th>"));
            Assert.That(html, Does.Contain($"<tr><td style=\"text-align:left\">1</td><td style=\"text-align:right\">{row[1]}</td>"));
            Assert.That(html, Does.Contain("<title>Time</title>"));
            Assert.That(html, Does.Contain("<title>Peak memory per GPU</title>"));
        });
    }

    [Test]
    public void ABreakdownGivesEachComponentsShareOfThePeak()
    {
        var breakdown = Estimates.Memory.PeakBreakdown!;
        var share = (breakdown.WeightBytes / breakdown.TotalBytes * 100).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(breakdown.ToHtml(), Does.Contain($"<td style=\"text-align:left\">weights</td><td style=\"text-align:right\">{Quantity.Bytes(breakdown.WeightBytes)}</td><td style=\"text-align:right\">{share} %</td>"));
    }

    [Test]
    public void TitlesAndMetricsAreEscaped()
    {
        var html = new ResultTable("a <b> & c", [new ResultRow("x<y", 1, ResultUnit.Seconds)]).ToHtml();
        Assert.That(html, Does.Contain("<caption>a &lt;b&gt; &amp; c</caption>").And.Contain(">x&lt;y</td>"));
    }
}
