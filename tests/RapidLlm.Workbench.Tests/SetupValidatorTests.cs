using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Workbench.Running;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Tests;

public class SetupValidatorTests
{
    private static RunSetup Default => PresetCatalog.DefaultSetup();

    private static RunSetup Seed => new(
        "seed-a100_80GB.yaml", YamlDocument.Parse(File.ReadAllText(TestData.Path("seed-a100_80GB.yaml"))),
        "seed-Llama2-7B.yaml", YamlDocument.Parse(File.ReadAllText(TestData.Path("seed-Llama2-7B.yaml"))));

    [Test]
    public void The_default_setup_is_valid() => Assert.That(SetupValidator.Check(Default, null).Problems.Where(p => p.IsError), Is.Empty);

    // Each field's message is the library's own sentence, placed at the field's YAML path.
    [TestCase("tp", "0", DiagnosticSeverity.Error, "must be >= 1")]
    [TestCase("tp", "abc", DiagnosticSeverity.Error, "expected an integer")]
    [TestCase("tp", "3", DiagnosticSeverity.Warning, "does not divide attention.num_heads (32)")]
    [TestCase("batch", "0", DiagnosticSeverity.Error, "must be >= 1")]
    [TestCase("hbm", "lots", DiagnosticSeverity.Error, "expected a number or a size such as '80 GB'")]
    [TestCase("zero", "7", DiagnosticSeverity.Error, "must be 0, 1, 2 or 3")]
    public void A_bad_value_gets_the_validators_message_on_its_field(string fieldId, string value, DiagnosticSeverity severity, string message)
    {
        var field = FormFields.Find(fieldId)!;
        var setup = Default.WithValue(field, value);
        var check = SetupValidator.Check(setup, null);
        var problems = check.For(setup, field).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Count.EqualTo(1));
            Assert.That(problems[0].Severity, Is.EqualTo(severity));
            Assert.That(problems[0].Message, Does.Contain(message));
            Assert.That(check.CanRun, Is.EqualTo(severity == DiagnosticSeverity.Warning));
        });
    }

    [Test]
    public void A_cross_file_problem_lands_on_the_model_field_it_names()
    {
        var setup = Default.WithValue(FormFields.Find("dp")!, "3");
        var check = SetupValidator.Check(setup, null);
        var onBatch = check.For(setup, FormFields.Find("batch")!).Single();
        Assert.Multiple(() =>
        {
            Assert.That(onBatch.File, Is.EqualTo(ConfigFile.Model));
            Assert.That(onBatch.Message, Is.EqualTo("the batch per accumulation step (4) must be divisible by parallelism.train.dp (3)"));
            Assert.That(check.CanRun, Is.False);
        });
    }

    [Test]
    public void Seed_schema_files_use_their_own_paths()
    {
        var seed = Seed.WithBackend(BackendChoice.Analytical);
        Assert.Multiple(() =>
        {
            Assert.That(seed.IsSeedSchema(ConfigFile.Hardware), Is.True);
            Assert.That(seed.IsSeedSchema(ConfigFile.Model), Is.True);
            Assert.That(seed.PathOf(FormFields.Find("pp")!), Is.EqualTo("parallelism.lp"));
            Assert.That(seed.PathOf(FormFields.Find("dp")!), Is.EqualTo("parallelism.dp"));
            Assert.That(seed.PathOf(FormFields.Find("experts")!), Is.EqualTo("model_param.num_experts"));
            Assert.That(seed.PathOf(FormFields.Find("replicas")!), Is.Null);
            Assert.That(seed.ValueOf(FormFields.Find("pp")!), Is.EqualTo("4"));
            Assert.That(SetupValidator.Check(seed, null).CanRun, Is.True);
        });
    }

    [Test]
    public void An_astrasim_file_without_a_binary_says_how_to_get_one()
    {
        var check = SetupValidator.Check(Seed, null);
        var problem = check.For(Seed, FormFields.All[0]).Concat(check.Problems).First(p => p.IsError);
        Assert.Multiple(() =>
        {
            Assert.That(Seed.Backend, Is.EqualTo(BackendChoice.AstraSimHierarchical));
            Assert.That(problem.YamlPath, Is.EqualTo("execution_backend.model"));
            Assert.That(problem.Message, Does.Contain("--astra-sim PATH").And.Contain("RAPID_ASTRA_SIM_BIN"));
        });
    }

    [Test]
    public void The_estimate_equals_the_librarys_for_the_same_files()
    {
        var check = SetupValidator.Check(Default, null);
        var outcome = EstimateRunner.Run(check.Simulation!);
        var direct = LlmSimulation.FromYaml(RepoPath("configs/hardware-config/a100_80GB.yaml"), RepoPath("configs/model-config/Llama2-7B.yaml")).EstimateTraining();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.TimeSeconds, Is.EqualTo(direct.TimePerBatchSeconds));
            Assert.That(outcome.Json, Is.EqualTo(direct.ToJson()));
            Assert.That(outcome.Csv, Is.EqualTo(direct.ToCsv()));
            Assert.That(outcome.Memory!.PeakBytes, Is.EqualTo(direct.Memory!.Report.PeakGib * 1024 * 1024 * 1024).Within(1e-6).Percent);
            Assert.That(outcome.Memory.Components.Sum(c => c.Bytes), Is.EqualTo(outcome.Memory.PeakBytes).Within(1e-6).Percent);
            Assert.That(outcome.Memory.Fits, Is.True, "the shipped Llama-2-7B file fits an A100");
            Assert.That(outcome.Warnings.Where(w => w.StartsWith("Does not fit", StringComparison.Ordinal)), Is.Empty);
            // The layer's operators, once each (the attention block's parts are inside "attention"), and the optimizer.
            Assert.That(outcome.TimeBreakdown.Select(s => s.Label), Is.EqualTo(new[]
            {
                "qkv_proj", "attention", "output_proj", "ffn1", "gelu", "ffn2", "layernorm1", "layernorm2", "embedding", "linear_softmax", "optimizer step",
            }));
            Assert.That(outcome.TimeBreakdown.Sum(s => s.TotalSeconds) - outcome.TimeBreakdown[^1].TotalSeconds - outcome.TimeBreakdown[^2].TotalSeconds - outcome.TimeBreakdown[^3].TotalSeconds,
                Is.EqualTo(direct.LayerForwardSeconds + direct.LayerBackwardSeconds).Within(5).Percent);
        });
    }

    [TestCase("Llama3.1-8B_inf.yaml", "inference")]
    [TestCase("GEMM.yaml", "gemm")]
    [TestCase("ViT-B16_inf.yaml", "inference")]
    [TestCase("DeepSeekV3_inf.yaml", "inference")]
    public void Every_kind_of_model_preset_estimates(string model, string kind)
    {
        var hardware = model == "GEMM.yaml" ? "H100_SXM5_80GB.yaml" : "a100_80GB.yaml";
        var setup = new RunSetup(hardware, YamlDocument.Parse(PresetCatalog.Read(ConfigFile.Hardware, hardware)), model, YamlDocument.Parse(PresetCatalog.Read(ConfigFile.Model, model)));
        var check = SetupValidator.Check(setup, null);
        Assert.That(check.Problems.Where(p => p.IsError), Is.Empty);
        var outcome = EstimateRunner.Run(check.Simulation!);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Kind, Is.EqualTo(kind));
            Assert.That(outcome.TimeSeconds, Is.GreaterThan(0));
            Assert.That(outcome.TimeBreakdown.Sum(s => s.TotalSeconds), Is.EqualTo(outcome.TimeSeconds!.Value).Within(1e-9).Percent);
        });
    }

    [Test]
    public void A_peak_over_the_capacity_is_the_first_warning()
    {
        var small = Default.WithValue(FormFields.Find("hbm")!, "8 GB");
        var outcome = EstimateRunner.Run(SetupValidator.Check(small, null).Simulation!);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Memory!.Fits, Is.False);
            Assert.That(outcome.Memory.CapacityBytes, Is.EqualTo(8.0 * 1024 * 1024 * 1024));
            Assert.That(outcome.Warnings[0], Does.StartWith($"Does not fit: the peak {RapidLlm.Common.Quantity.Bytes(outcome.Memory.PeakBytes)} per GPU exceeds the capacity 8.000 GiB by"));
        });
    }

    [Test]
    public void Every_preset_is_listed_and_loads()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PresetCatalog.List(ConfigFile.Hardware).Select(p => p.Name), Does.Contain("a100_80GB.yaml").And.Contain("H100_SXM5_80GB.yaml"));
            Assert.That(PresetCatalog.List(ConfigFile.Model).Select(p => p.Name), Does.Contain("Llama2-7B.yaml").And.Contain("GEMM.yaml"));
        });
        foreach (var preset in PresetCatalog.List(ConfigFile.Hardware).Concat(PresetCatalog.List(ConfigFile.Model)))
            Assert.That(YamlDocument.Parse(PresetCatalog.Read(preset.File, preset.Name)).SyntaxError, Is.Null, preset.Name);
    }

    private static string RepoPath(string relative) => System.IO.Path.Combine(TestData.RepoRoot, relative);
}
