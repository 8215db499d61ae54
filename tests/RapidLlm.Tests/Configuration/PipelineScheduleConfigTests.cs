using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Tests.Simulation;

namespace RapidLlm.Tests.Configuration;

/// <summary>
/// <c>parallelism.pipeline_schedule</c> and <c>parallelism.virtual_stages</c>: read from either schema, GPipe when absent,
/// and every misuse reported with its YAML path, the value and what is allowed.
/// </summary>
public class PipelineScheduleConfigTests
{
    private static string A100Yaml => File.ReadAllText(ConfigFiles.Hardware("a100_80GB.yaml"));

    private static string WithParallelism(string extra, int pp = 4, int mb = 8) => A100Yaml
        .Replace("  pp: 1\n  mb: 1\n", $"  pp: {pp}\n  mb: {mb}\n{extra}", StringComparison.Ordinal);

    private static ModelConfig Llama7B(int layers = 32, int batch = 64) => ModelConfig.FromYaml(ConfigFiles.Model("Llama2-7B.yaml")) is var m
        ? m with { Transformer = m.Transformer! with { NumLayers = layers, GlobalBatchSize = batch, GradientAccumulationSteps = 1 } }
        : throw new InvalidOperationException();

    [TestCase("", PipelineScheduleKind.GPipe, 1)]
    [TestCase("  pipeline_schedule: gpipe\n", PipelineScheduleKind.GPipe, 1)]
    [TestCase("  pipeline_schedule: 1f1b\n", PipelineScheduleKind.OneFOneB, 1)]
    [TestCase("  pipeline_schedule: 1F1B\n  virtual_stages: 1\n", PipelineScheduleKind.OneFOneB, 1)]
    [TestCase("  pipeline_schedule: interleaved_1f1b\n  virtual_stages: 2\n", PipelineScheduleKind.Interleaved1F1B, 2)]
    public void ScheduleIsRead(string extra, PipelineScheduleKind kind, int virtualStages)
    {
        var schedule = HardwareConfig.FromYamlText(WithParallelism(extra)).Parallelism.Schedule;
        Assert.That(schedule, Is.EqualTo(new PipelineSchedule(kind, virtualStages)));
    }

    [Test]
    public void SeedSchemaReadsTheScheduleToo()
    {
        var seed = File.ReadAllText(Path.Combine(TestData.Root, "differential", "quickstart_seed_pp4_l1_train", "hw.yaml"))
            .Replace("  mb: 4", "  mb: 4\n  pipeline_schedule: 1f1b", StringComparison.Ordinal);
        Assert.That(HardwareConfig.FromYamlText(seed).Parallelism.Schedule, Is.EqualTo(PipelineSchedule.OneFOneB));
    }

    [TestCase("  pipeline_schedule: pipedream\n", "parallelism.pipeline_schedule", "pipedream", "gpipe")]
    [TestCase("  pipeline_schedule: interleaved_1f1b\n", "parallelism.virtual_stages", null, "at least 2")]
    [TestCase("  pipeline_schedule: interleaved_1f1b\n  virtual_stages: 1\n", "parallelism.virtual_stages", "1", ">= 2")]
    [TestCase("  pipeline_schedule: 1f1b\n  virtual_stages: 2\n", "parallelism.virtual_stages", "2", "applies only to pipeline_schedule: interleaved_1f1b")]
    [TestCase("  virtual_stages: 4\n", "parallelism.virtual_stages", "4", "the schedule here is gpipe")]
    public void MisuseIsReportedAtItsPath(string extra, string path, string? value, string allowed)
    {
        var ex = Assert.Throws<ConfigurationException>(() => HardwareConfig.FromYamlText(WithParallelism(extra), "hw.yaml"));
        var problem = ex!.Errors.SingleOrDefault(p => p.YamlPath == path);
        Assert.That(problem, Is.Not.Null, ex.Message);
        Assert.That(ex.Errors.Count(), Is.EqualTo(1), "no knock-on errors");
        Assert.That(problem!.Line, Is.GreaterThan(0), ex.Message);
        Assert.That(problem.Message, Does.Contain(allowed));
        if (value is not null) Assert.That(problem.Value, Is.EqualTo(value));
    }

    // Rules that need the model: interleaving needs pp ≥ 2, equal whole-layer chunks, and micro-batches in groups of pp.
    [TestCase(1, 2, 32, 8, "parallelism.pipeline_schedule", "needs pp >= 2")]
    [TestCase(4, 3, 32, 8, "parallelism.virtual_stages", "must divide the layers per stage (num_layers 32 / pp 4 = 8)")]
    [TestCase(3, 2, 32, 6, "parallelism.virtual_stages", "num_layers (32) does not divide by pp (3)")]
    [TestCase(4, 2, 32, 6, "parallelism.mb", "must be a multiple of pp (4)")]
    public void InterleavingThatDoesNotFitTheModelIsReported(int pp, int v, int layers, int mb, string path, string message)
    {
        var hardware = HardwareConfig.FromYamlText(WithParallelism($"  pipeline_schedule: interleaved_1f1b\n  virtual_stages: {v}\n", pp, mb), "hw.yaml");
        var ex = Assert.Throws<ConfigurationException>(() => ConfigValidator.Validate(hardware, Llama7B(layers, batch: 48 * mb), "hw.yaml", "model.yaml"));
        Assert.That(ex!.Errors.Where(e => e.YamlPath == path).Select(e => e.Message), Has.Some.Contains(message), ex.Message);
    }

    [Test]
    public void InterleavingThatFitsIsAccepted()
    {
        var hardware = HardwareConfig.FromYamlText(WithParallelism("  pipeline_schedule: interleaved_1f1b\n  virtual_stages: 4\n", pp: 4, mb: 8));
        Assert.DoesNotThrow(() => ConfigValidator.Validate(hardware, Llama7B(32, batch: 64)));
    }

    [Test]
    public void InferenceWarnsThatTheScheduleDoesNotApply()
    {
        var hardware = HardwareConfig.FromYamlText(WithParallelism("  pipeline_schedule: 1f1b\n", pp: 2, mb: 1));
        var model = ModelConfig.FromYaml(ConfigFiles.Model("Llama2-7B_inf.yaml"));
        var warnings = ConfigValidator.Validate(hardware, model).Warnings;
        Assert.That(warnings, Has.Some.Matches<ConfigDiagnostic>(w => w.YamlPath == "parallelism.pipeline_schedule" && w.Message.Contains("training only")));
    }

    [Test]
    public void BuilderSetsTheScheduleAsTheFileDoes()
    {
        var fromFile = HardwareConfig.FromYamlText(WithParallelism("  pipeline_schedule: interleaved_1f1b\n  virtual_stages: 2\n", pp: 4, mb: 8));
        var built = LlmSimulation.Create()
            .Hardware(HardwarePresets.A100Sxm80GB)
            .Model(Llama7B(32, 64))
            .Parallelism(p => p.Tensor(2, sequenceParallel: true).Pipeline(4, microBatches: 8, schedule: PipelineSchedule.Interleaved(2)))
            .Build();
        Assert.That(built.Hardware.Parallelism, Is.EqualTo(fromFile.Parallelism));
    }

    [Test]
    public void BuilderReportsAScheduleThatDoesNotFit()
    {
        var ex = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create()
            .Hardware(HardwarePresets.A100Sxm80GB)
            .Model(Llama7B(32, 64))
            .Parallelism(p => p.Pipeline(4, microBatches: 8, schedule: PipelineSchedule.Interleaved(1)))
            .Build());
        Assert.That(ex!.Errors.Select(e => e.YamlPath), Does.Contain("parallelism.virtual_stages"));
    }
}
