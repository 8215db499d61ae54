using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RapidLlm.Workbench.History;
using RapidLlm.Workbench.Running;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Tests;

public class RunArchiveTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("wb-archive-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void A_saved_run_reloads_equal_with_its_files()
    {
        var archive = new RunArchive(Options.Create(new WorkbenchOptions { DataDirectory = _dir }), NullLogger<RunArchive>.Instance);
        var setup = PresetCatalog.DefaultSetup();
        var outcome = EstimateRunner.Run(SetupValidator.Check(setup, null).Simulation!);
        var run = new RunRecord
        {
            Id = RunArchive.NewId(DateTimeOffset.UtcNow), Kind = RunKind.Estimate, Title = "t", CreatedUtc = DateTimeOffset.UtcNow,
            HardwareName = setup.HardwareName, HardwareYaml = setup.Hardware.Text, ModelName = setup.ModelName, ModelYaml = setup.Model.Text,
            Backend = "analytical", Status = RunStatus.Completed, Estimate = outcome,
        };

        Assert.That(archive.Save(run), Is.Null);
        var loaded = archive.Load(run.Id)!;
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Estimate!.Metrics, Is.EqualTo(outcome.Metrics));
            Assert.That(loaded.Estimate.TimeBreakdown, Is.EqualTo(outcome.TimeBreakdown));
            Assert.That(loaded.Estimate.Memory!.Components, Is.EqualTo(outcome.Memory!.Components));
            Assert.That(loaded.Estimate.TokensPerSecond, Is.EqualTo(outcome.TokensPerSecond));
            Assert.That(loaded.ModelYaml, Is.EqualTo(setup.Model.Text));
            Assert.That(File.ReadAllText(archive.PathOf(run.Id, "result.json")!), Is.EqualTo(outcome.Json));
            Assert.That(File.ReadAllText(archive.PathOf(run.Id, "result.csv")!), Is.EqualTo(outcome.Csv));
            Assert.That(File.ReadAllText(archive.PathOf(run.Id, "hardware.yaml")!), Is.EqualTo(setup.Hardware.Text));
            Assert.That(archive.List().Select(r => r.Id), Is.EqualTo(new[] { run.Id }));
        });
        archive.Delete(run.Id);
        Assert.That(archive.List(), Is.Empty);
    }

    [TestCase("../../etc")]
    [TestCase("20250101-000000-abcdeg")]
    [TestCase("")]
    public void Ids_that_could_leave_the_folder_are_refused(string id)
    {
        var archive = new RunArchive(Options.Create(new WorkbenchOptions { DataDirectory = _dir }), NullLogger<RunArchive>.Instance);
        Assert.Multiple(() =>
        {
            Assert.That(RunArchive.IsValidId(id), Is.False);
            Assert.That(archive.PathOf(id, "run.json"), Is.Null);
            Assert.That(archive.Load(id), Is.Null);
        });
    }

    [Test]
    public void A_folder_that_cannot_be_written_is_a_sentence_not_an_exception()
    {
        var file = System.IO.Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(file, "");
        var archive = new RunArchive(Options.Create(new WorkbenchOptions { DataDirectory = file }), NullLogger<RunArchive>.Instance);
        var run = new RunRecord
        {
            Id = RunArchive.NewId(DateTimeOffset.UtcNow), Kind = RunKind.Estimate, Title = "t", CreatedUtc = DateTimeOffset.UtcNow,
            HardwareName = "h", HardwareYaml = "", ModelName = "m", ModelYaml = "", Backend = "analytical",
        };
        Assert.That(archive.Save(run), Does.StartWith("The run could not be saved under"));
    }
}
