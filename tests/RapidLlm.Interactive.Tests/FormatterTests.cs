using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using RapidLlm.Common;
using RapidLlm.Simulation;

namespace RapidLlm.Interactive.Tests;

/// <summary>Registered formatters make a kernel show RapidLlm's HTML for rich hosts and the aligned text for plain ones.</summary>
[NonParallelizable]
public class FormatterTests
{
    [TearDown]
    public void ResetFormatters() => Formatter.ResetToDefault();

    public static IEnumerable<TestCaseData> Values()
    {
        yield return new TestCaseData(new Func<(object, string, string)>(() => (Estimates.Training, Estimates.Training.ToHtml(), Estimates.Training.ToTable().ToString()))).SetName("Training");
        yield return new TestCaseData(new Func<(object, string, string)>(() => (Estimates.InferenceTp1, Estimates.InferenceTp1.ToHtml(), Estimates.InferenceTp1.ToTable().ToString()))).SetName("Inference");
        yield return new TestCaseData(new Func<(object, string, string)>(() => (Estimates.Memory, Estimates.Memory.ToHtml(), Estimates.Memory.ToTable().ToString()))).SetName("Memory");
        yield return new TestCaseData(new Func<(object, string, string)>(() => (Estimates.Gemm(), Estimates.Gemm().ToHtml(), Estimates.Gemm().ToTable().ToString()))).SetName("Gemm");
        yield return new TestCaseData(new Func<(object, string, string)>(() => (Estimates.Training.ToTable(), Estimates.Training.ToTable().ToHtml(), Estimates.Training.ToTable().ToString()))).SetName("ResultTable");
        yield return new TestCaseData(new Func<(object, string, string)>(() =>
        {
            var series = EstimateSeries.Inference("tp", [1, 2], Estimates.Inference);
            return (series, series.ToHtml(), series.ToString());
        })).SetName("EstimateSeries");
        yield return new TestCaseData(new Func<(object, string, string)>(() => (Estimates.TrainingSearch, Estimates.TrainingSearch.ToHtml(), Estimates.TrainingSearch.ToMarkdown(20)))).SetName("SearchResult");
        yield return new TestCaseData(new Func<(object, string, string)>(() =>
        {
            var best = Estimates.TrainingSearch.Best!;
            return (best, best.ToHtml(), RapidLlmHtml.CandidateTable(best).ToString());
        })).SetName("SearchCandidate");
        yield return new TestCaseData(new Func<(object, string, string)>(() => (Estimates.Sweep, Estimates.Sweep.ToHtml(), Estimates.Sweep.ToMarkdown()))).SetName("SweepResult");
    }

    [TestCaseSource(nameof(Values))]
    public void EachResultFormatsAsItsHtmlAndItsText(Func<(object Value, string Html, string Text)> make)
    {
        var (value, html, text) = make();
        RapidLlmFormatters.Register();
        Assert.Multiple(() =>
        {
            Assert.That(value.ToDisplayString(HtmlFormatter.MimeType), Is.EqualTo(html));
            Assert.That(value.ToDisplayString(PlainTextFormatter.MimeType), Is.EqualTo(text));
        });
    }

    [Test]
    public void TheBreakdownPrintsEachComponentInText()
    {
        RapidLlmFormatters.Register();
        var text = Estimates.Memory.PeakBreakdown!.ToDisplayString(PlainTextFormatter.MimeType);
        Assert.That(text, Does.StartWith("Memory per GPU at the peak, by component\n  weights ").And.Contain("\n  total "));
    }

    [Test]
    public async Task InACSharpKernelTheExtensionMakesAnEstimateDisplayAsHtml()
    {
        using var kernel = new CSharpKernel();
        await new RapidLlmKernelExtension().OnLoadAsync(kernel);
        var code = $"""
            #r "{typeof(LlmSimulation).Assembly.Location}"
            using RapidLlm.Simulation;
            LlmSimulation.Create()
                .Hardware(HardwarePresets.A100Sxm80GB)
                .Model(ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096))
                .Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(4))
                .Software(s => s.ZeroStage(1).FullRecomputation())
                .Build()
                .EstimateTraining()
            """;
        var result = await kernel.SendAsync(new SubmitCode(code));
        var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.That(failure, Is.Null, failure?.Message);
        var shown = result.Events.OfType<ReturnValueProduced>().Single().FormattedValues;
        Assert.That(shown.Single(v => v.MimeType == HtmlFormatter.MimeType).Value, Is.EqualTo(Estimates.Training.ToHtml()));
    }
}
