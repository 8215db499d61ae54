using RapidLlm.Simulation;

namespace RapidLlm.Tests.Samples;

/// <summary>The README's library example compiles and runs (the code below is the README's, line for line).</summary>
public class ReadmeExampleTests
{
    [Test]
    public void TheLibraryExampleRuns()
    {
        using var output = new StringWriter();
        var simulation = LlmSimulation.Create()
            .Hardware(HardwarePresets.A100Sxm80GB)
            .Model(ModelPresets.Llama2_7B.Training(globalBatch: 1024, sequenceLength: 4096))
            .Parallelism(p => p.Tensor(2, sequenceParallel: true).Pipeline(4, microBatches: 8).Data(16))
            .Software(s => s.ZeroStage(1).FullRecomputation())
            .Build();
        output.WriteLine(simulation.EstimateTraining().ToMarkdown());
        Assert.That(output.ToString(), Does.Contain("| time per batch |"));
    }

    [Test]
    public void TheReadmeStillShowsThisCode()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        Assert.Multiple(() =>
        {
            Assert.That(readme, Does.Contain(".Parallelism(p => p.Tensor(2, sequenceParallel: true).Pipeline(4, microBatches: 8).Data(16))"));
            Assert.That(readme, Does.Contain(".Software(s => s.ZeroStage(1).FullRecomputation())"));
            Assert.That(readme, Does.Contain("Console.WriteLine(simulation.EstimateTraining().ToMarkdown());"));
            Assert.That(readme, Does.Contain("\ndotnet test\n"), "CI reads the test command from the README");
        });
    }

    internal static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RapidLlm.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new DirectoryNotFoundException("RapidLlm.sln not found above the test folder");
    }
}
