using System.Text.Json;
using RapidLlm.Configuration;
using RapidLlm.Inference;
using RapidLlm.Search;
using RapidLlm.Simulation;

namespace RapidLlm.Interactive.Tests;

/// <summary>
/// The committed notebooks are clean C# notebooks; executed by CI (<c>.ci/notebooks.sh</c>, which sets
/// <c>RAPIDLLM_EXECUTED_NOTEBOOKS</c>), they ran every cell without an error and show RapidLlm's tables and charts with
/// the figures the library computes.
/// </summary>
public class NotebookTests
{
    private static readonly string[] Names = ["getting-started.ipynb", "tensor-parallel-inference.ipynb"];

    private static string Committed(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "notebooks", name);

    [Test]
    public void EveryNotebookOfTheSamplesIsTested()
    {
        var committed = Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "notebooks"), "*.ipynb").Select(Path.GetFileName);
        Assert.That(committed, Is.EquivalentTo(Names));
    }

    [TestCaseSource(nameof(Names))]
    public void ACommittedNotebookHasNoOutputsAndLoadsThePackageFirst(string name)
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(Committed(name)));
        var root = notebook.RootElement;
        var code = Cells(root).Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("nbformat").GetInt32(), Is.EqualTo(4));
            Assert.That(root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString(), Is.EqualTo(".net-csharp"));
            Assert.That(code.Select(c => c.GetProperty("outputs").GetArrayLength()), Has.All.EqualTo(0), "outputs are cleared");
            Assert.That(code.Select(c => c.GetProperty("execution_count").ValueKind), Has.All.EqualTo(JsonValueKind.Null));
            Assert.That(Source(code[0]), Is.EqualTo("#r \"nuget: RapidLlm.Interactive\""), "no machine path: CI adds its feed through a nuget.config beside the notebook");
        });
    }

    [TestCaseSource(nameof(Names))]
    public void AnExecutedNotebookRanEveryCellAndShowsATableAndAChart(string name)
    {
        using var notebook = Executed(name);
        var code = Cells(notebook.RootElement).Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        var outputs = code.SelectMany(c => c.GetProperty("outputs").EnumerateArray()).ToList();
        var html = outputs.Select(o => Data(o, "text/html")).Where(h => h is not null).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(code.Select(c => c.GetProperty("execution_count").ValueKind), Has.All.EqualTo(JsonValueKind.Number), "every cell ran");
            Assert.That(outputs.Select(o => o.GetProperty("output_type").GetString()), Has.None.EqualTo("error"));
            Assert.That(html, Has.Some.StartsWith("<div class=\"rapidllm\">").And.Contains("<table>"), "an HTML table from RapidLlm's formatter");
            Assert.That(html, Has.Some.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "an inline SVG chart");
        });
    }

    [Test]
    public void TheGettingStartedTrainingStepShowsTheLibrarysEstimate()
    {
        using var notebook = Executed("getting-started.ipynb");
        var cell = Cells(notebook.RootElement).Single(c => Source(c).Contains("var step = training.EstimateTraining();", StringComparison.Ordinal));
        var shown = cell.GetProperty("outputs").EnumerateArray().Select(o => Data(o, "text/html")).Single(h => h is not null);
        Assert.That(shown, Is.EqualTo(Estimates.Training.ToHtml()));
    }

    [Test]
    public void TheGettingStartedSearchShowsTheRankedTableAndTheParetoFrontTheLibraryComputes()
    {
        using var notebook = Executed("getting-started.ipynb");
        var shown = HtmlOf(notebook, "var search = ParallelismSearch.Run(");
        Assert.Multiple(() =>
        {
            Assert.That(shown, Does.Contain("<caption>Configuration search: 8 GPUs, training, ranked by time per batch</caption>"), "the ranked table");
            Assert.That(shown, Does.Contain("<title>Pareto front: "), "the Pareto chart");
            Assert.That(shown, Is.EqualTo(Estimates.TrainingSearch.ToHtml()));
        });
    }

    [Test]
    public void TheGettingStartedSweepAndBestCandidateShowTheLibrarysFigures()
    {
        using var notebook = Executed("getting-started.ipynb");
        Assert.Multiple(() =>
        {
            Assert.That(HtmlOf(notebook, "var zeroSweep = SettingSweep.From("), Is.EqualTo(Estimates.Sweep.ToHtml()));
            Assert.That(HtmlOf(notebook, "search.Best"), Is.EqualTo(Estimates.TrainingSearch.Best!.ToHtml()));
            Assert.That(HtmlOf(notebook, "ParallelismSearch.Simulation("),
                Is.EqualTo(ParallelismSearch.Simulation(Estimates.SearchTemplate(), Estimates.TrainingSearch.Best!.Point).EstimateTraining().ToHtml()));
        });
    }

    [Test]
    public void TheCaseStudyShowsTheSpeedUpsTheLibraryComputes()
    {
        using var notebook = Executed("tensor-parallel-inference.ipynb");
        var texts = Cells(notebook.RootElement)
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .SelectMany(c => c.GetProperty("outputs").EnumerateArray())
            .Select(o => Data(o, "text/plain"))
            .Where(t => t is not null && t.StartsWith("Speed-up", StringComparison.Ordinal))
            .ToList();
        var fitting = new[] { 1, 2, 4, 8, 16, 32 }.Where(b => Qwen(1, b).Memory!.Report.Fits).Max();
        Assert.That(texts, Is.EqualTo(new[] { SpeedUp(32), SpeedUp(fitting) }));
    }

    private static string SpeedUp(int batch)
    {
        var (tp1, tp2) = (Qwen(1, batch).TotalSeconds, Qwen(2, batch).TotalSeconds);
        return $"Speed-up from tp 1 to tp 2: {tp1 / tp2:F2}x ({(1 - tp2 / tp1) * 100:F0}% less time)";
    }

    private static InferenceEstimate Qwen(int tp, int batch) => LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB)
        .Model(new TransformerArchitecture("Qwen2.5-3B", ModelType.Llama,
                HiddenDim: 2048, NumLayers: 36, NumHeads: 16, KvHeads: 2, IntermediateSize: 11008, VocabSize: 151936, TiedEmbeddings: true)
            .Inference(batch: batch, promptLength: 65536 - 1024, decodeLength: 1024, attentionTileSize: 256))
        .Parallelism(p => p.Tensor(tp, sequenceParallel: true))
        .Build()
        .EstimateInference();

    /// <summary>The HTML a code cell displayed: the cell whose source is, or starts with, <paramref name="code"/>.</summary>
    private static string HtmlOf(JsonDocument notebook, string code)
    {
        var cell = Cells(notebook.RootElement).Single(c => c.GetProperty("cell_type").GetString() == "code"
            && (Source(c) == code || Source(c).StartsWith(code, StringComparison.Ordinal) || Source(c).Contains("\n" + code, StringComparison.Ordinal)));
        return cell.GetProperty("outputs").EnumerateArray().Select(o => Data(o, "text/html")).Single(h => h is not null)!;
    }

    private static JsonDocument Executed(string name)
    {
        var folder = Environment.GetEnvironmentVariable("RAPIDLLM_EXECUTED_NOTEBOOKS");
        if (string.IsNullOrEmpty(folder)) Assert.Ignore("RAPIDLLM_EXECUTED_NOTEBOOKS is not set: run `bash .ci/notebooks.sh FOLDER` and point it at FOLDER (CI does).");
        var path = Path.Combine(folder!, name);
        Assert.That(path, Does.Exist, "the notebook was not executed");
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    private static IEnumerable<JsonElement> Cells(JsonElement notebook) => notebook.GetProperty("cells").EnumerateArray();

    private static string Source(JsonElement cell) => Text(cell.GetProperty("source"));

    private static string? Data(JsonElement output, string mimeType) =>
        output.TryGetProperty("data", out var data) && data.TryGetProperty(mimeType, out var value) ? Text(value) : null;

    // nbformat stores multi-line text either as one string or as a list of lines.
    private static string Text(JsonElement text) =>
        text.ValueKind == JsonValueKind.Array ? string.Concat(text.EnumerateArray().Select(l => l.GetString())) : text.GetString() ?? "";
}
