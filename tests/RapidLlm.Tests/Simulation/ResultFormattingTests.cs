using System.Globalization;
using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Simulation;

/// <summary>Every result type reads well as text and Markdown, and round-trips its numbers through CSV and JSON.</summary>
public class ResultFormattingTests
{
    private static readonly Lazy<LlmSimulation> Training = new(() => LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB).Model(ModelPresets.Llama2_7B.Training(1024, 4096)).Build());

    private static readonly Lazy<LlmSimulation> Inference = new(() => LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB).Model(ModelPresets.Llama3_1_8B.Inference(1, 1024, 1024)).Build());

    public static IEnumerable<TestCaseData> Tables()
    {
        yield return new TestCaseData(new Func<ResultTable>(() => Training.Value.EstimateTraining().ToTable()), "time per batch").SetName("Training");
        yield return new TestCaseData(new Func<ResultTable>(() => Inference.Value.EstimateInference().ToTable()), "time to first token").SetName("Inference");
        yield return new TestCaseData(new Func<ResultTable>(() => Training.Value.EstimateMemory().ToTable()), "peak memory per GPU").SetName("Memory");
        yield return new TestCaseData(new Func<ResultTable>(() => LlmSimulation.Create().Hardware(HardwarePresets.H100Sxm80GB)
            .Model(ModelPresets.Gemm(4096, 4096, 4096, backward: true)).Build().EstimateGemm().ToTable()), "backward compute").SetName("Gemm");
    }

    [TestCaseSource(nameof(Tables))]
    public void MarkdownCsvAndJsonCarryTheSameFigures(Func<ResultTable> make, string metric)
    {
        var table = make();
        var row = table.Rows.Single(r => r.Metric == metric);
        var csvLine = table.ToCsv().Split('\n').Single(l => l.StartsWith(metric + ",", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(table.ToJson());
        var jsonRow = json.RootElement.GetProperty("metrics").EnumerateArray().Single(e => e.GetProperty("metric").GetString() == metric);
        Assert.Multiple(() =>
        {
            Assert.That(table.ToMarkdown(), Does.Contain($"| {metric} | {row.Display} |"));
            Assert.That(table.ToString(), Does.Contain(row.Display));
            Assert.That(double.Parse(csvLine.Split(',')[1], CultureInfo.InvariantCulture), Is.EqualTo(row.Value));
            Assert.That(jsonRow.GetProperty("value").GetDouble(), Is.EqualTo(row.Value));
            Assert.That(jsonRow.GetProperty("unit").GetString(), Is.EqualTo(row.UnitSymbol));
        });
    }

    [Test]
    public void EveryResultTypeHasTheFourForms()
    {
        var training = Training.Value.EstimateTraining();
        var inference = Inference.Value.EstimateInference();
        var memory = Training.Value.EstimateMemory();
        string[] forms =
        [
            training.ToString(), training.ToMarkdown(), training.ToCsv(), training.ToJson(),
            inference.ToString(), inference.ToMarkdown(), inference.ToCsv(), inference.ToJson(),
            memory.ToString(), memory.ToMarkdown(), memory.ToCsv(), memory.ToJson(),
        ];
        Assert.That(forms, Has.All.Not.Empty);
        // The run does not fit (below): every text form of the estimate says so, not only the memory rows.
        Assert.That(training.ToMarkdown(), Does.StartWith("### Training estimate (analytical): does not fit in memory\n\n| Metric | Value |"));
        Assert.That(training.ToString(), Does.EndWith("per GPU of 80.00 GiB (does not fit)"));
        Assert.That(inference.ToString(), Does.Contain("\n  memory                peak ").And.EndWith("fits)"));
        // One micro-batch of 1024 × 4096 tokens under full recompute keeps 32 layers' inputs (16 GiB each at tp 2 with SP)
        // in the calibrated model: the peak is printed in TiB.
        Assert.That(memory.ToString(), Does.Match(@"^Memory: peak \d+\.\d+ TiB per GPU of 80\.00 GiB \(does not fit\)$"));
    }

    [TestCase(0.00084, ResultUnit.Seconds, "840.0 µs")]
    [TestCase(6.68, ResultUnit.Seconds, "6.680 s")]
    [TestCase(13.36 * 1024 * 1024 * 1024, ResultUnit.Bytes, "13.36 GiB")]
    [TestCase(53.7, ResultUnit.TokensPerSecond, "53.70 tok/s")]
    [TestCase(0.125, ResultUnit.Fraction, "12.5 %")]
    [TestCase(1024, ResultUnit.None, "1,024")]
    public void ValuesPrintWithAScaledUnit(double value, ResultUnit unit, string expected) =>
        Assert.That(new ResultRow("x", value, unit).Display, Is.EqualTo(expected));

    [Test]
    public void CsvQuotesMetricsWithCommas() =>
        Assert.That(new ResultTable("t", [new ResultRow("a, b", 1, ResultUnit.Seconds)]).ToCsv(), Is.EqualTo("metric,value,unit\n\"a, b\",1,s\n"));
}
