using System.Globalization;
using System.Xml.Linq;
using RapidLlm.Common;
using RapidLlm.Interactive.Charts;
using RapidLlm.Search;

namespace RapidLlm.Interactive.Tests;

/// <summary>
/// A search displays as its ranked candidates with units (the best marked, the Pareto front flagged, "no" where a
/// candidate does not fit), its counts, and a Pareto chart with a mark per candidate that fits, placed by its figures;
/// a sweep as a row per point and charts of time, throughput and memory against the first swept setting.
/// The search is the getting-started notebook's: Llama-2-13B training on 8 A100 80GB, ZeRO 0-2.
/// </summary>
public class SearchDisplayTests
{
    private const double Gib = 1024.0 * 1024.0 * 1024.0;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Test]
    public void ASearchListsTheRankedCandidatesWithUnitsAndMarksTheBest()
    {
        var result = Estimates.TrainingSearch;
        var best = result.Best!;
        var html = result.ToHtml();
        var rows = Rows(FirstTable(html));
        var alone = ParallelismSearch.Simulation(Estimates.SearchTemplate(), best.Point).EstimateTraining();
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.StartWith("<div class=\"rapidllm\">\n<table>\n<caption>Configuration search: 8 GPUs, training, ranked by time per batch</caption>"));
            Assert.That(Headers(FirstTable(html)), Is.EqualTo(new[]
            {
                "#", "tp", "cp", "pp", "dp", "micro-batches", "ZeRO", "recompute", "schedule", "time per batch", "tokens/s", "MFU", "energy",
                "peak memory per GPU", "fits", "",
            }));
            Assert.That(rows, Has.Count.EqualTo(20), "the first 20 by default");
            Assert.That(rows[0], Is.EqualTo(new[]
            {
                "1", "1", "1", "1", "8", "1", "2", "full", "gpipe", Quantity.Seconds(best.TimePerBatchSeconds!.Value),
                Quantity.Rate(best.TokensPerSecond, "tok"), (best.ModelFlopsUtilization * 100).ToString("F1", CultureInfo.InvariantCulture) + " %",
                Quantity.Joules(best.EnergyJoules), Quantity.Bytes(best.PeakMemoryBytes), "yes", "best, Pareto front",
            }));
            Assert.That(html, Does.Contain("<tr style=\"font-weight:bold;background:#EAF3FA\"><td style=\"text-align:right\">1</td>"), "the best row stands out");
            // The best (tp 1, dp 8, ZeRO-2, full recompute) shows what estimating that configuration alone gives.
            Assert.That(rows[0][9], Is.EqualTo(Quantity.Seconds(alone.TimePerBatchSeconds)));
            Assert.That(rows[0][13], Is.EqualTo(Quantity.Bytes(alone.Memory!.Report.PeakGib * Gib)));
            Assert.That(rows.Select(r => r[15] == "Pareto front" || r[15].EndsWith("Pareto front", StringComparison.Ordinal)),
                Is.EqualTo(result.Candidates.Take(20).Select(c => result.ParetoFront.Contains(c))));
            Assert.That(html, Does.Contain($"<p>{result.Evaluated} estimated, {result.Feasible} fit, {result.Pruned} pruned by the memory bound, 0 rejected; 80.00 GiB per GPU; the first 20 of {result.Candidates.Count} listed.</p>"));
            Assert.That(html, Does.Contain(SvgCharts.ParetoFront(result)));
        });
    }

    [Test]
    public void EveryCandidateCanBeListedAndThoseThatDoNotFitSaySo()
    {
        var result = Estimates.TrainingSearch;
        var rows = Rows(FirstTable(result.ToHtml(rows: result.Candidates.Count)));
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(result.Candidates.Count));
            Assert.That(rows.Select(r => r[14]), Is.EqualTo(result.Candidates.Select(c => c.Fits ? "yes" : "no")));
            Assert.That(rows.Select(r => r[13]), Is.EqualTo(result.Candidates.Select(c => Quantity.Bytes(c.PeakMemoryBytes))));
            Assert.That(result.ToHtml(rows: result.Candidates.Count), Does.Contain("<td style=\"text-align:left;color:#C0392B\">no</td>"));
            Assert.That(result.Candidates.Count(c => !c.Fits), Is.EqualTo(result.Evaluated - result.Feasible).And.GreaterThan(0));
        });
    }

    [Test]
    public void TheFrontHasATableOfItsOwnInMemoryOrder()
    {
        var result = Estimates.TrainingSearch;
        var html = result.ToHtml();
        var frontTable = html[html.IndexOf("<caption>Pareto front", StringComparison.Ordinal)..];
        var rows = Rows(frontTable);
        var front = result.ParetoFront.OrderBy(c => c.PeakMemoryBytes).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r[13]), Is.EqualTo(front.Select(c => Quantity.Bytes(c.PeakMemoryBytes))));
            Assert.That(rows.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)), Is.EqualTo(front.Select(c => Rank(result, c) + 1)));
            Assert.That(front, Has.Count.GreaterThan(1), "a front with trade-offs to show");
        });
    }

    [Test]
    public void TheParetoChartPlacesEveryFittingCandidateByItsMemoryAndTime()
    {
        var result = Estimates.TrainingSearch;
        var svg = Parse(SvgCharts.ParetoFront(result));
        var front = result.ParetoFront;
        var fitting = result.Candidates.Where(c => c.Fits).ToList();
        var marks = svg.Descendants(Svg + "circle").Where(c => c.Element(Svg + "title") is not null).ToList();
        var frontMarks = marks.Where(m => (string?)m.Attribute("fill") == "#0072B2").ToList();
        var cloudMarks = marks.Where(m => (string?)m.Attribute("fill") == "#B8B8B8").ToList();
        var capacity = svg.Descendants(Svg + "line").First(l => (string?)l.Attribute("stroke-dasharray") == "5,3");
        // x: 0 to 100 GiB (80 GiB capacity × 1.04, rounded up) over the 474 px between the margins.
        double X(double bytes) => 62 + 474 * bytes / (100 * Gib);
        var hiddenNote = Texts(svg).SingleOrDefault(t => t.EndsWith("above the plotted range", StringComparison.Ordinal));
        var hidden = hiddenNote is null ? 0 : int.Parse(hiddenNote.Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(Title(svg), Is.EqualTo($"Pareto front: {front.Count} of {fitting.Count} candidates that fit"));
            Assert.That(frontMarks.Select(Tooltip), Is.EqualTo(front.Select(c =>
                $"#{Rank(result, c) + 1} {c.Point}: {Quantity.Seconds(c.TimePerBatchSeconds!.Value)} per batch, peak {Quantity.Bytes(c.PeakMemoryBytes)} per GPU")));
            Assert.That(frontMarks.Select(m => Number(m, "cx")), Is.EqualTo(front.Select(c => X(c.PeakMemoryBytes))).Within(0.01));
            // Slower is higher: along the front, more memory buys less time, so the marks go down the chart.
            var byMemory = frontMarks.OrderBy(m => Number(m, "cx")).Select(m => Number(m, "cy")).ToList();
            Assert.That(byMemory, Is.Ordered.Ascending);
            Assert.That(cloudMarks.Count + hidden, Is.EqualTo(fitting.Count - front.Count), "every other candidate that fits is drawn or counted");
            Assert.That(Number(capacity, "x1"), Is.EqualTo(X(80 * Gib)).Within(0.01));
            Assert.That(Texts(svg), Is.SupersetOf(new[] { "#1", "capacity", "fits", "Pareto front", "peak memory per GPU (GiB)", "time per batch (s)" }));
            var ring = svg.Descendants(Svg + "circle").Single(c => (string?)c.Attribute("r") == "8");
            Assert.That(Number(ring, "cx"), Is.EqualTo(X(result.Best!.PeakMemoryBytes)).Within(0.01), "the best is ringed");
            var polyline = svg.Descendants(Svg + "polyline").Single().Attribute("points")!.Value.Split(' ');
            Assert.That(polyline, Has.Length.EqualTo(front.Count), "the front is one line through its points");
        });
    }

    [Test]
    public void AThroughputSearchPlotsTokensPerSecondWithTheBestOnTop()
    {
        var result = Estimates.InferenceSearch;
        var svg = Parse(SvgCharts.ParetoFront(result));
        var frontMarks = svg.Descendants(Svg + "circle").Where(m => (string?)m.Attribute("fill") == "#0072B2" && m.Element(Svg + "title") is not null).ToList();
        var best = result.Best!;
        Assert.Multiple(() =>
        {
            Assert.That(result.Objective, Is.EqualTo(SearchObjective.Throughput));
            Assert.That(Tooltip(frontMarks[0]), Is.EqualTo($"#1 {best.Point}: {Quantity.Rate(best.TokensPerSecond, "tok")}, peak {Quantity.Bytes(best.PeakMemoryBytes)} per GPU"));
            Assert.That(frontMarks.Select(m => Number(m, "cy")).Min(), Is.EqualTo(Number(frontMarks[0], "cy")), "the highest throughput is highest on the chart");
            Assert.That(Texts(svg), Does.Contain("generated tokens per second (k tok/s)"));
            Assert.That(result.ToHtml(), Does.Contain("<caption>Configuration search: 4 GPUs, inference, ranked by generated tokens per second</caption>")
                .And.Contain("<th style=\"text-align:right\">replicas</th><th style=\"text-align:right\">batch per replica</th><th style=\"text-align:right\">total time</th><th style=\"text-align:right\">time to first token</th>"));
        });
    }

    [Test]
    public void WhenNothingFitsTheChartSaysSo()
    {
        var result = Estimates.TrainingSearch;
        var none = result with { Candidates = new Common.EquatableArray<SearchCandidate>(result.Candidates.Where(c => !c.Fits)), Feasible = 0 };
        var svg = Parse(SvgCharts.ParetoFront(none));
        Assert.Multiple(() =>
        {
            Assert.That(none.Best, Is.Null);
            Assert.That(Texts(svg), Does.Contain("no candidate fits in 80.00 GiB per GPU"));
            Assert.That(svg.Descendants(Svg + "circle"), Is.Empty);
            Assert.That(none.ToHtml(), Does.Not.Contain("<caption>Pareto front"));
        });
    }

    [Test]
    public void ACandidateShowsItsFiguresWithUnits()
    {
        var best = Estimates.TrainingSearch.Best!;
        var html = best.ToHtml();
        var alone = ParallelismSearch.Simulation(Estimates.SearchTemplate(), best.Point).EstimateTraining();
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<caption>Candidate tp1 cp1 pp1 dp8 mb1 z2 full gpipe (fits)</caption>"));
            Assert.That(html, Does.Contain($"<td style=\"text-align:left\">time per batch</td><td style=\"text-align:right\">{Quantity.Seconds(alone.TimePerBatchSeconds)}</td>"));
            Assert.That(html, Does.Contain($"<td style=\"text-align:left\">peak memory per GPU</td><td style=\"text-align:right\">{Quantity.Bytes(alone.Memory!.Report.PeakGib * Gib)}</td>"));
            Assert.That(html, Does.Contain("<td style=\"text-align:left\">capacity per GPU</td><td style=\"text-align:right\">80.00 GiB</td>"));
        });
    }

    [Test]
    public void ASweepIsARowPerPointThenTimeThroughputAndMemoryCharts()
    {
        var sweep = Estimates.Sweep;
        var html = sweep.ToHtml();
        var rows = Rows(FirstTable(html));
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain($"<caption>Sweep over tensor parallelism × ZeRO stage: 12 points, 12 estimated, {sweep.Points.Count(p => p.Figures!.Fits)} fit</caption>"));
            Assert.That(Headers(FirstTable(html)), Is.EqualTo(new[]
            {
                "tensor parallelism", "ZeRO stage", "time per batch", "tokens/s", "MFU", "peak memory per GPU", "capacity per GPU", "fits", "energy",
            }));
            Assert.That(rows.Select(r => r[0] + " " + r[1]), Is.EqualTo(sweep.Points.Select(p => p.Settings[0].Value + " " + p.Settings[1].Value)));
            Assert.That(rows.Select(r => r[2]), Is.EqualTo(sweep.Points.Select(p => Quantity.Seconds(p.Figures!.TimePerBatchSeconds!.Value))));
            Assert.That(rows.Select(r => r[5]), Is.EqualTo(sweep.Points.Select(p => Quantity.Bytes(p.Figures!.PeakMemoryBytes))));
            // ZeRO-2 is what makes tp 1 fit; each row's peak is what estimating that point alone gives.
            Assert.That(rows.Take(3).Select(r => r[7]), Is.EqualTo(new[] { "no", "no", "yes" }));
            Assert.That(rows.Take(3).Select(r => r[5]), Is.EqualTo(new[] { 0, 1, 2 }.Select(zero => Quantity.Bytes(Estimates.SearchTemplate()
                .Software(s => s.FullRecomputation().ZeroStage(zero))
                .Parallelism(p => p.Tensor(1, sequenceParallel: true).Data(8))
                .Build().EstimateTraining().Memory!.Report.PeakGib * Gib))));
            Assert.That(html, Does.Contain(SvgCharts.Time(sweep)).And.Contain(SvgCharts.Throughput(sweep)).And.Contain(SvgCharts.Memory(sweep)));
        });
    }

    [Test]
    public void ASweepChartHasTheFirstAxisAlongXAndALinePerValueOfTheOthers()
    {
        var sweep = Estimates.Sweep;
        var memory = Parse(SvgCharts.Memory(sweep));
        var throughput = Parse(SvgCharts.Throughput(sweep));
        var marks = memory.Descendants(Svg + "circle").Where(c => c.Element(Svg + "title") is not null).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(memory.Descendants(Svg + "polyline").Count(), Is.EqualTo(3), "one line per ZeRO stage");
            Assert.That(Texts(memory), Is.SupersetOf(new[] { "ZeRO stage = 0", "ZeRO stage = 1", "ZeRO stage = 2", "tensor parallelism", "1", "2", "4", "8", "capacity" }));
            // Grid order is tp-major; the chart draws line by line (ZeRO stage), each along tp.
            var expected = sweep.Points.Select((p, i) => (p, i)).OrderBy(x => x.i % 3).ThenBy(x => x.i / 3).Select(x => x.p).ToList();
            Assert.That(marks.Select(Tooltip), Is.EqualTo(expected.Select(p =>
                $"tensor parallelism {p.Settings[0].Value}: ZeRO stage = {p.Settings[1].Value} {Quantity.Bytes(p.Figures!.PeakMemoryBytes)}{(p.Figures.Fits ? "" : " (over the capacity)")}")));
            Assert.That(marks.Select(m => (string?)m.Attribute("fill") == "#FFFFFF"), Is.EqualTo(expected.Select(p => !p.Figures!.Fits)), "hollow where it does not fit");
            Assert.That(Texts(throughput), Does.Contain("throughput (k tok/s)"));
            Assert.That(Title(Parse(SvgCharts.Time(sweep))), Is.EqualTo("Time per batch"));
        });
    }

    [Test]
    public void AnInvalidSweepPointGivesItsReasonAndLeavesAGap()
    {
        var sweep = SettingSweep.From(() => Estimates.SearchTemplate().Software(s => s.FullRecomputation()))
            .Over("data parallelism", [4, 3, 8], (b, dp) => b.Parallelism(p => p.Data(dp)))
            .Run();
        var html = sweep.ToHtml();
        var time = Parse(SvgCharts.Time(sweep));
        Assert.Multiple(() =>
        {
            Assert.That(sweep.Points[1].Error, Does.Contain("parallelism.train.dp"));
            Assert.That(html, Does.Contain("<tr><td style=\"text-align:left\">3</td><td style=\"text-align:left;color:#C0392B\" colspan=\"7\">invalid: "
                + Markup.Escape(sweep.Points[1].Error!) + "</td></tr>"));
            Assert.That(time.Descendants(Svg + "circle").Count(), Is.EqualTo(2), "no mark for the invalid point");
            Assert.That(time.Descendants(Svg + "polyline"), Is.Empty, "no line across the gap");
        });
    }

    [TestCase(21.2, 26.6, "seconds", 20.0, 28.0, 2.0, "s", "20 22 24 26 28")]
    [TestCase(0.0, 26.6, "seconds", 0.0, 30.0, 10.0, "s", "0 10 20 30")]
    [TestCase(4000.0, 4000.0, "tokens", 3600.0, 4400.0, 200.0, "k tok/s", "3.6 3.8 4 4.2 4.4")]
    public void AZoomedAxisHasRoundEndsAroundTheValues(double lowest, double largest, string quantity, double minimum, double maximum, double step, string unit, string ticks)
    {
        var axis = AxisScale.Between(lowest, largest, quantity == "seconds" ? AxisQuantity.Seconds : AxisQuantity.TokensPerSecond);
        Assert.Multiple(() =>
        {
            Assert.That(axis.Minimum, Is.EqualTo(minimum).Within(1e-9));
            Assert.That(axis.Maximum, Is.EqualTo(maximum).Within(1e-9));
            Assert.That(axis.Step, Is.EqualTo(step).Within(1e-9));
            Assert.That(axis.Unit, Is.EqualTo(unit));
            Assert.That(string.Join(" ", axis.Ticks().Select(axis.Label)), Is.EqualTo(ticks));
        });
    }

    private static int Rank(SearchResult result, SearchCandidate candidate) => result.Candidates.ToList().IndexOf(candidate);

    private static string FirstTable(string html) => html[..html.IndexOf("</table>", StringComparison.Ordinal)];

    private static List<string> Headers(string table) =>
        XElement.Parse(table[table.IndexOf("<thead>", StringComparison.Ordinal)..(table.IndexOf("</thead>", StringComparison.Ordinal) + 8)])
            .Descendants("th").Select(th => th.Value).ToList();

    private static List<string[]> Rows(string table)
    {
        var start = table.IndexOf("<tbody>", StringComparison.Ordinal);
        var end = table.IndexOf("</tbody>", start, StringComparison.Ordinal) + 8;
        return XElement.Parse(table[start..end]).Elements("tr").Select(tr => tr.Elements("td").Select(td => td.Value).ToArray()).ToList();
    }

    private static XElement Parse(string svg)
    {
        var root = XElement.Parse(svg);
        Assert.That(root.Name, Is.EqualTo(Svg + "svg"));
        return root;
    }

    private static string Title(XElement svg) => svg.Element(Svg + "title")!.Value;

    private static string Tooltip(XElement mark) => mark.Element(Svg + "title")!.Value;

    private static List<string> Texts(XElement svg) => svg.Descendants(Svg + "text").Select(t => t.Value).ToList();

    private static double Number(XElement element, string attribute) => double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);
}
