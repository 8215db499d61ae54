using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RapidLlm.Search;
using RapidLlm.Workbench.Components.Setup;
using RapidLlm.Workbench.History;
using RapidLlm.Workbench.Running;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Tests;

/// <summary>The search form as a user meets it: the space's size on the run button, the library's sentence beside the axis that empties it.</summary>
public class SearchFormTests
{
    private BunitContext _context = default!;
    private string _dataDir = "";

    private WorkbenchSession Session => _context.Services.GetRequiredService<WorkbenchSession>();

    [SetUp]
    public void SetUp()
    {
        _dataDir = Directory.CreateTempSubdirectory("wb-bunit-search-").FullName;
        _context = new BunitContext();
        _context.Services.AddSingleton(Options.Create(new WorkbenchOptions { DataDirectory = _dataDir }));
        _context.Services.AddSingleton<ILogger<RunArchive>>(NullLogger<RunArchive>.Instance);
        _context.Services.AddSingleton<RunArchive>();
        _context.Services.AddSingleton<ISweepEngine, GridSweepEngine>();
        _context.Services.AddSingleton<ISearchEngine, LibrarySearchEngine>();
        _context.Services.AddScoped<WorkbenchSession>();
    }

    [TearDown]
    public void TearDown()
    {
        _context.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private IRenderedComponent<RunPanel> Panel() => _context.Render<RunPanel>(p => p.Add(x => x.InitialKind, RunKind.Search));

    // What the library lists for Llama2-7B on 8 A100s with these limits.
    private int LibraryCount(SearchLimits limits)
    {
        var simulation = Session.Check.Simulation!;
        return ParallelismSearch.Candidates(simulation.ToBuilder(), new SearchOptions
        {
            Gpus = 8,
            TensorParallel = new(limits.Tp),
            ZeroStages = new(limits.ZeroStages),
        }).Count;
    }

    [Test]
    public void The_run_button_counts_the_candidates_as_the_space_is_limited()
    {
        var panel = Panel();
        var all = LibraryCount(new SearchLimits());
        Assert.That(panel.Find("#run-button").TextContent, Is.EqualTo($"Search ({all} candidates)"));
        Assert.That(panel.Find("#search-count").TextContent, Does.StartWith($"{all} candidates to estimate"));

        panel.Find("#search-tp").Input("2, 4");
        var limited = LibraryCount(new SearchLimits { Tp = [2, 4] });
        Assert.That(panel.Find("#run-button").TextContent, Is.EqualTo($"Search ({limited} candidates)"));

        panel.Find("#search-zero-0").Change(false);
        panel.Find("#search-zero-2").Change(false);
        panel.Find("#search-zero-3").Change(false);
        Assert.Multiple(() =>
        {
            Assert.That(panel.Find("#run-button").TextContent, Is.EqualTo($"Search ({LibraryCount(new SearchLimits { Tp = [2, 4], ZeroStages = [1] })} candidates)"));
            Assert.That(limited, Is.LessThan(all));
            Assert.That(panel.Find("#run-button").HasAttribute("disabled"), Is.False);
        });
    }

    [TestCase("search-tp", "3", "tp: none of the requested values (3) is possible (possible: 1, 2, 4, 8)")]
    [TestCase("search-tp", "two", "'two' is not a whole number of at least 1")]
    [TestCase("search-mb", "3", "mb: no allowed micro-batch count divides the batch per data-parallel rank of any candidate")]
    [TestCase("search-gpus", "0", "a whole number of GPUs from 1 to 1,000,000")]
    [TestCase("search-headroom", "100", "a percentage from 0 to below 100")]
    [TestCase("search-virtual", "1", "'1' is not a whole number of at least 2")]
    public void A_choice_that_cannot_be_searched_says_why_beside_it(string id, string text, string message)
    {
        var panel = Panel();
        if (id == "search-virtual") panel.Find("#search-schedule-interleaved_1f1b").Change(true);
        panel.Find("#" + id).Input(text);
        var field = panel.Find($"[data-field={id}]");
        Assert.Multiple(() =>
        {
            Assert.That(field.ClassList, Does.Contain("has-error"));
            Assert.That(field.QuerySelector(".field-message.error")!.TextContent, Is.EqualTo(message));
            Assert.That(panel.Find("#" + id).GetAttribute("aria-invalid"), Is.EqualTo("true"));
            Assert.That(panel.Find("#run-button").HasAttribute("disabled"), Is.True);
        });

        panel.Find("#" + id).Input(id == "search-virtual" ? "2" : id == "search-headroom" ? "10" : id == "search-gpus" ? "8" : "");
        Assert.That(panel.FindAll($"[data-field={id}] .field-message.error"), Is.Empty);
        Assert.That(panel.Find("#run-button").HasAttribute("disabled"), Is.False);
    }

    [Test]
    public void Unticking_every_zero_stage_asks_for_one()
    {
        var panel = Panel();
        for (var z = 0; z < 4; z++) panel.Find($"#search-zero-{z}").Change(false);
        Assert.Multiple(() =>
        {
            Assert.That(panel.Find("[data-field=search-zero] .field-message.error").TextContent, Is.EqualTo("choose at least one stage"));
            Assert.That(panel.Find("#run-button").TextContent, Is.EqualTo("Search"));
            Assert.That(panel.Find("#run-button").HasAttribute("disabled"), Is.True);
        });
    }

    [Test]
    public void The_axes_follow_the_model()
    {
        var panel = Panel();
        Assert.Multiple(() =>
        {
            Assert.That(panel.FindAll("#search-mb"), Has.Count.EqualTo(1));
            Assert.That(panel.FindAll("#search-ep"), Is.Empty, "a dense model has no expert axis");
            Assert.That(panel.FindAll("#search-batch"), Is.Empty);
        });

        Session.Update(Session.Setup with { ModelName = "Llama3.1-8B_inf.yaml", Model = YamlDocument.Parse(PresetCatalog.Read(ConfigFile.Model, "Llama3.1-8B_inf.yaml")) });
        Assert.Multiple(() =>
        {
            Assert.That(panel.FindAll("#search-mb"), Is.Empty);
            Assert.That(panel.FindAll("#search-replicas"), Has.Count.EqualTo(1));
            Assert.That(panel.FindAll("#search-batch"), Has.Count.EqualTo(1));
            Assert.That(panel.Find("#search-objective").TextContent, Does.Contain("time to first token"));
        });

        Session.Update(Session.Setup with { ModelName = "DeepSeekMOE.yaml", Model = YamlDocument.Parse(PresetCatalog.Read(ConfigFile.Model, "DeepSeekMOE.yaml")) });
        Assert.That(panel.FindAll("#search-ep"), Has.Count.EqualTo(1), "an MoE model searches expert parallelism");

        Session.Update(Session.Setup with { ModelName = "GEMM.yaml", Model = YamlDocument.Parse(PresetCatalog.Read(ConfigFile.Model, "GEMM.yaml")) });
        Assert.Multiple(() =>
        {
            Assert.That(panel.Find("#search-not-applicable").TextContent, Does.Contain("needs an LLM or ViT model"));
            Assert.That(panel.Find("#run-button").HasAttribute("disabled"), Is.True);
        });
    }

    [Test]
    public void A_search_started_from_the_form_lands_in_the_history_with_the_librarys_ranking()
    {
        Session.Update(Session.Setup.WithValue(FormFields.Find("batch")!, "64").WithValue(FormFields.Find("grad-accum")!, "1"));
        var panel = Panel();
        panel.Find("#search-cp").Input("1");
        panel.Find("#search-pp").Input("1");
        panel.Find("#search-mb").Input("4, 8");
        panel.Find("#search-recompute-selective").Change(false);
        for (var z = 0; z < 4; z++) panel.Find($"#search-zero-{z}").Change(z == 1);
        Assert.That(panel.Find("#run-button").TextContent, Is.EqualTo("Search (8 candidates)"));
        panel.Find("#run-button").Click();

        panel.WaitForState(() => Session.Runs.Count == 1, TimeSpan.FromSeconds(120));
        var run = Session.Runs[0];
        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(RunStatus.Completed), run.Error);
            Assert.That(run.Kind, Is.EqualTo(RunKind.Search));
            Assert.That(run.Search!.Candidates, Has.Count.EqualTo(8 - run.Search.Pruned));
            Assert.That(run.Search.Best, Is.Not.Null);
            Assert.That(run.Search.Candidates.Select(c => c.FullRecompute), Has.All.True);
            Assert.That(run.Search!.Candidates.Select(c => c.Tp * c.Dp), Has.All.EqualTo(8));
            Assert.That(run.Search.Candidates.Select(c => c.MicroBatches), Has.All.AnyOf(4, 8));
            Assert.That(SearchResult.FromJson(run.Search.Json).Candidates.Select(c => c.Point.ToString()), Is.EqualTo(run.Search.Candidates.Select(c => c.Label)));
            Assert.That(File.Exists(Path.Combine(_dataDir, "runs", run.Id, "result.json")), Is.True);
        });
    }
}
