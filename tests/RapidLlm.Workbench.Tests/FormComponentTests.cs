using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RapidLlm.Workbench.Components.Setup;
using RapidLlm.Workbench.History;
using RapidLlm.Workbench.Running;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Tests;

/// <summary>The setup form as a user meets it: values from the files, the validator's messages beside each field as they type.</summary>
public class FormComponentTests
{
    private BunitContext _context = default!;
    private string _dataDir = "";

    private WorkbenchSession Session => _context.Services.GetRequiredService<WorkbenchSession>();

    [SetUp]
    public void SetUp()
    {
        _dataDir = Directory.CreateTempSubdirectory("wb-bunit-").FullName;
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

    [TestCase("f-tp", "2")]
    [TestCase("f-dp", "1")]
    [TestCase("f-batch", "64")]
    [TestCase("f-seq-len", "4096")]
    [TestCase("f-hbm", "80 GB")]
    [TestCase("f-net0-bw", "300e9")]
    public void The_form_shows_the_files_values(string id, string expected)
    {
        var form = _context.Render<ConfigForm>();
        Assert.That(form.Find("#" + id).GetAttribute("value"), Is.EqualTo(expected));
    }

    [Test]
    public void A_yaml_null_shows_as_a_setting_left_to_its_default()
    {
        // Llama2-7B.yaml says attention_tile_size: null.
        var form = _context.Render<ConfigForm>();
        var tile = form.Find("#f-flash-tile");
        Assert.That(tile.GetAttribute("value"), Is.Null.Or.Empty);
        Assert.That(tile.GetAttribute("placeholder"), Is.EqualTo("not set (default)"));
    }

    [Test]
    public void The_hardware_legend_names_the_performance_model()
    {
        var form = _context.Render<ConfigForm>();
        Assert.That(form.Find("#performance-model").TextContent, Is.EqualTo("calibrated model"));
        Session.Update(Session.Setup with
        {
            HardwareName = "reference/a100_80GB.yaml",
            Hardware = YamlDocument.Parse(PresetCatalog.Read(ConfigFile.Hardware, "reference/a100_80GB.yaml")),
        });
        Assert.That(form.Find("#performance-model").TextContent, Is.EqualTo("reference model"));
    }

    [Test]
    public void Typing_a_bad_value_shows_the_validators_message_next_to_the_field()
    {
        var form = _context.Render<ConfigForm>();
        form.Find("#f-tp").Input("0");

        var field = form.Find("[data-field=tp]");
        Assert.Multiple(() =>
        {
            Assert.That(field.ClassList, Does.Contain("has-error"));
            Assert.That(field.QuerySelector(".field-message.error")!.TextContent, Is.EqualTo("must be >= 1"));
            Assert.That(form.Find("#f-tp").GetAttribute("aria-invalid"), Is.EqualTo("true"));
            Assert.That(form.Find("#f-tp").GetAttribute("aria-describedby"), Is.EqualTo("f-tp-help f-tp-msg"));
            Assert.That(Session.Check.CanRun, Is.False);
            Assert.That(Session.Setup.Hardware.Get("parallelism.tp"), Is.EqualTo("0"));
        });

        form.Find("#f-tp").Input("4");
        Assert.Multiple(() =>
        {
            Assert.That(form.Find("[data-field=tp]").ClassList, Does.Not.Contain("has-error"));
            Assert.That(form.FindAll("[data-field=tp] .field-message"), Is.Empty);
            Assert.That(Session.Check.CanRun, Is.True);
        });
    }

    [TestCase("abc", "expected an integer")]
    [TestCase("2.5", "expected a whole number")]
    [TestCase("", "expected an integer")]
    public void Non_numbers_are_refused_as_typed(string typed, string message)
    {
        var form = _context.Render<ConfigForm>();
        form.Find("#f-layers").Input(typed);
        Assert.That(form.Find("[data-field=layers] .field-message.error").TextContent, Does.Contain(message));
    }

    [Test]
    public void A_warning_is_shown_as_a_warning_and_the_run_can_start()
    {
        var form = _context.Render<ConfigForm>();
        form.Find("#f-tp").Input("3");
        var field = form.Find("[data-field=tp]");
        Assert.Multiple(() =>
        {
            Assert.That(field.ClassList, Does.Contain("has-warning"));
            Assert.That(field.QuerySelector(".field-message.warning")!.TextContent, Does.StartWith("Warning: does not divide attention.num_heads (32)"));
            Assert.That(Session.Check.CanRun, Is.True);
        });
    }

    [Test]
    public void A_problem_of_both_files_appears_on_the_field_it_names()
    {
        var form = _context.Render<ConfigForm>();
        form.Find("#f-dp").Input("3");
        Assert.That(form.Find("[data-field=batch] .field-message.error").TextContent,
            Is.EqualTo("the batch per accumulation step (4) must be divisible by parallelism.train.dp (3)"));
    }

    [Test]
    public void The_fields_follow_the_run_type()
    {
        var form = _context.Render<ConfigForm>();
        Assert.Multiple(() =>
        {
            Assert.That(form.FindAll("#f-grad-accum"), Has.Count.EqualTo(1));
            Assert.That(form.FindAll("#f-decode-len"), Is.Empty);
        });
        form.Find("#f-run-type").Change("inference");
        Assert.Multiple(() =>
        {
            Assert.That(Session.Setup.Model.Get("model_param.run_type"), Is.EqualTo("inference"));
            Assert.That(form.FindAll("#f-grad-accum"), Is.Empty);
            Assert.That(form.FindAll("#f-replicas"), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void A_checkbox_writes_true_or_false()
    {
        var form = _context.Render<ConfigForm>();
        Assert.That(form.Find("#f-recompute").HasAttribute("checked"), Is.True);
        form.Find("#f-recompute").Change(false);
        Assert.That(Session.Setup.Hardware.Get("sw_param.full_recomputation"), Is.EqualTo("false"));
    }

    [Test]
    public void The_yaml_panel_shows_what_the_form_writes_and_applies_edits()
    {
        var form = _context.Render<ConfigForm>();
        var yaml = _context.Render<YamlPanel>();
        form.Find("#f-batch").Input("512");
        yaml.Render();
        Assert.That(yaml.Find("#yaml-text").GetAttribute("value") ?? yaml.Find("#yaml-text").TextContent, Does.Contain("global_batch_size: 512"));

        yaml.Find("#yaml-tab-hardware").Click();
        var text = Session.Setup.Hardware.Text.Replace("  tp: 2", "  tp: 8", StringComparison.Ordinal);
        yaml.Find("#yaml-text").Input(text);
        yaml.Find("#yaml-apply").Click();
        form.Render();
        Assert.That(form.Find("#f-tp").GetAttribute("value"), Is.EqualTo("8"));
    }

    [Test]
    public void Broken_yaml_is_listed_in_the_summary()
    {
        var summary = _context.Render<ProblemSummary>();
        Session.Update(Session.Setup.With(ConfigFile.Model, YamlDocument.Parse("model_param: [1, 2\n")));
        summary.Render();
        Assert.Multiple(() =>
        {
            Assert.That(summary.Find("#problem-summary").TextContent, Does.Contain("1 error"));
            Assert.That(summary.Find("#unplaced-problems").TextContent, Does.Contain("Llama2-7B.yaml is not valid YAML: line"));
        });
    }

    [Test]
    public void Seed_schema_files_get_their_own_paths_in_the_form()
    {
        Session.Update(new RunSetup(
            "seed-a100_80GB.yaml", YamlDocument.Parse(File.ReadAllText(TestData.Path("seed-a100_80GB.yaml"))),
            "seed-Llama2-7B.yaml", YamlDocument.Parse(File.ReadAllText(TestData.Path("seed-Llama2-7B.yaml")))));
        var form = _context.Render<ConfigForm>();
        Assert.Multiple(() =>
        {
            Assert.That(form.Find("#form-hardware legend").TextContent, Does.Contain("seed schema"));
            Assert.That(form.Find("#f-pp").GetAttribute("value"), Is.EqualTo("4"));
            Assert.That(form.Find("#f-dp").GetAttribute("value"), Is.EqualTo("2"));
            Assert.That(form.FindAll("#f-ep"), Is.Empty);
        });
        form.Find("#f-pp").Input("2");
        Assert.That(Session.Setup.Hardware.Get("parallelism.lp"), Is.EqualTo("2"));
    }

    [Test]
    public void Without_a_binary_the_astrasim_modes_are_off_with_a_note()
    {
        var backend = _context.Render<BackendPicker>();
        Assert.Multiple(() =>
        {
            Assert.That(backend.Find("#backend-analytical").HasAttribute("checked"), Is.True);
            Assert.That(backend.Find("#backend-astrasimhybrid").HasAttribute("disabled"), Is.True);
            Assert.That(backend.Find("#backend-astrasimhierarchical").HasAttribute("disabled"), Is.True);
            Assert.That(backend.Find("#astra-note").TextContent, Does.Contain("--astra-sim PATH").And.Contain("RAPID_ASTRA_SIM_BIN"));
        });
    }

    [Test]
    public void With_errors_the_run_button_is_disabled_and_says_why()
    {
        var panel = _context.Render<RunPanel>();
        Assert.That(panel.Find("#run-button").HasAttribute("disabled"), Is.False);
        Session.Update(Session.Setup.WithValue(FormFields.Find("tp")!, "0").WithValue(FormFields.Find("batch")!, "0"));
        panel.Render();
        Assert.Multiple(() =>
        {
            Assert.That(panel.Find("#run-button").HasAttribute("disabled"), Is.True);
            Assert.That(panel.Find("#run-blocked").TextContent, Is.EqualTo("Fix 2 problems in the setup to run."));
        });
    }

    [Test]
    public void A_sweep_axis_with_bad_values_says_why_and_blocks_the_run()
    {
        var panel = _context.Render<RunPanel>();
        panel.Find("#run-tab-sweep").Click();
        Assert.That(panel.Find("#run-button").TextContent, Is.EqualTo("Run sweep (4 points)"));
        panel.Find("#sweep-values-0").Input("8..1");
        Assert.Multiple(() =>
        {
            Assert.That(panel.Find("#sweep-values-0-msg .field-message.error").TextContent, Does.Contain("is not a range"));
            Assert.That(panel.Find("#run-button").HasAttribute("disabled"), Is.True);
        });
    }
}
