using RapidLlm.Configuration;
using RapidLlm.Validation;

namespace RapidLlm.Tests.Validation;

/// <summary>
/// The Megatron suite's rows: the papers' published times (Korthikanti Table 5 rather than the reference's "korthi"
/// rows), each run with its paper's schedule and settings, on the shipped A100 preset.
/// </summary>
public class MegatronTrainingSuiteTests
{
    private static readonly string Root = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "validation");
    private static readonly string Presets = Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", "hardware-config");
    private static readonly ValidationSources Sources = new(Path.Combine(Root, "data"), Path.Combine(Root, "configs"), Presets);

    private static ValidationPoint Point(string labelStart) =>
        MegatronTrainingSuite.Create(Sources).Points.Single(p => p.Label.StartsWith(labelStart, StringComparison.Ordinal));

    private static HardwareConfig Hardware(ValidationPoint point) =>
        HardwareConfig.FromYamlText(YamlOverlay.Merge(File.ReadAllText(point.HardwareFile), point.HardwareOverlay));

    [Test]
    public void RunsOnTheShippedA100Preset()
    {
        var suite = MegatronTrainingSuite.Create(Sources);
        Assert.Multiple(() =>
        {
            Assert.That(suite.Points, Has.Count.EqualTo(16));
            Assert.That(suite.Points.Select(p => p.HardwareFile).Distinct(), Is.EqualTo(new[] { Path.Combine(Presets, "a100_80GB.yaml") }));
        });
    }

    [TestCase("Korthikanti T5 GPT 22B full", 1.42)]
    [TestCase("Korthikanti T5 GPT 175B full", 18.13)]
    [TestCase("Korthikanti T5 GPT 175B seq+sel", 13.75)]
    [TestCase("Korthikanti T5 GPT 530B seq+sel", 37.83)]
    [TestCase("Korthikanti T5 GPT 1T full", 94.42)]
    [TestCase("Korthikanti T5 GPT 1T seq+sel", 71.49)]
    [TestCase("Selene GPT 310B", 34.1)]
    [TestCase("Narayanan T2 GPT 175B full (dp4", 76.78)]
    public void MeasuredTimesAreThePapers(string label, double seconds)
    {
        Assert.That(Point(label).Measured, Is.EqualTo(seconds));
    }

    // Schedule, model chunks per stage, micro-batches per replica, sequence parallelism, full recompute.
    [TestCase("Korthikanti T5 GPT 22B seq+sel", PipelineScheduleKind.OneFOneB, 1, 1, true, false)]
    [TestCase("Korthikanti T5 GPT 175B seq+sel", PipelineScheduleKind.Interleaved1F1B, 3, 64, true, false)]
    [TestCase("Korthikanti T5 GPT 530B full", PipelineScheduleKind.Interleaved1F1B, 3, 280, false, true)]
    [TestCase("Korthikanti T5 GPT 1T seq+sel", PipelineScheduleKind.OneFOneB, 1, 512, true, false)]
    [TestCase("Selene GPT 310B", PipelineScheduleKind.Interleaved1F1B, 2, 144, false, true)]
    [TestCase("Selene GPT 1T", PipelineScheduleKind.OneFOneB, 1, 512, false, true)]
    [TestCase("Narayanan T1 GPT 1.7B", PipelineScheduleKind.OneFOneB, 1, 1, false, true)]
    [TestCase("Narayanan T2 GPT 530B full (dp2", PipelineScheduleKind.Interleaved1F1B, 3, 1120, false, true)]
    public void EachRowRunsWithItsPapersSettings(string label, PipelineScheduleKind kind, int virtualStages, int microBatches, bool sequenceParallel, bool fullRecompute)
    {
        var hardware = Hardware(Point(label));
        Assert.Multiple(() =>
        {
            Assert.That(hardware.Parallelism.Schedule, Is.EqualTo(new PipelineSchedule(kind, virtualStages)));
            Assert.That(hardware.Parallelism.MicroBatches, Is.EqualTo(microBatches));
            Assert.That(hardware.Parallelism.TpSp, Is.EqualTo(sequenceParallel));
            Assert.That(hardware.Software.FullRecomputation, Is.EqualTo(fullRecompute));
            Assert.That(hardware.Software.DpZeroStage, Is.Zero);
            Assert.That(hardware.Software.Precision.MasterParametersBytes, Is.EqualTo(4.0));
            Assert.That(hardware.Network.Dimensions[1].Topology.BandwidthBytesPerSecond, Is.EqualTo(25e9));
        });
    }

    [Test]
    public void WithoutPresetsTheCatalogLeavesTheSuiteOut()
    {
        var suites = ValidationCatalog.All(new ValidationSources(Path.Combine(Root, "data"), Path.Combine(Root, "configs")));
        Assert.That(suites.Select(s => s.Id), Does.Not.Contain(MegatronTrainingSuite.Id));
        Assert.Throws<ArgumentException>(() => MegatronTrainingSuite.Create(new ValidationSources(Path.Combine(Root, "data"), Path.Combine(Root, "configs"))));
    }
}
