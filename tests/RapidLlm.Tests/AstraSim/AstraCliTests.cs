using System.Globalization;
using System.Text.Json;
using RapidLlm.Cli;

namespace RapidLlm.Tests.AstraSim;

/// <summary>The command line with an AstraSim backend: selection from the hardware config, missing binary → exit 2.</summary>
public sealed class AstraCliTests
{
    private static string CaseFolder(string mode, string caseName) => Path.Combine(AstraArtifacts.Artifacts, mode, $"head_317a2cb_{caseName}");

    /// <summary>A copy of the case's hardware config with <c>execution_backend.astra.binary_path</c> set.</summary>
    private static string HardwareWithBinary(string work, string mode, string caseName, string binary)
    {
        var text = File.ReadAllText(Path.Combine(CaseFolder(mode, caseName), "hw.yaml"));
        text = text.Replace("  astra:\n    backend: astra\n", $"  astra:\n    backend: astra\n    binary_path: {binary}\n", StringComparison.Ordinal);
        Assert.That(text, Does.Contain("binary_path"));
        var path = Path.Combine(work, "hw.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = RunPerfCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public void MissingBinaryExitsWithTwoAndSaysWhereItLooked()
    {
        var work = Directory.CreateTempSubdirectory("astra-cli-").FullName;
        try
        {
            var missing = Path.Combine(work, "nowhere", "AstraSim_Analytical_Congestion_Aware");
            var (code, _, stderr) = Run("--hardware_config", HardwareWithBinary(work, "hybrid", "i_tp2", missing),
                "--model_config", Path.Combine(CaseFolder("hybrid", "i_tp2"), "model.yaml"), "--output_dir", Path.Combine(work, "output"));
            Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput));
            Assert.That(stderr, Does.Contain("AstraSim binary").And.Contain(missing).And.Contain("execution_backend.model: analytical"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [TestCase("hybrid", "i_tp2")]
    [TestCase("full_astrasim_hierarchical", "i_tp2")]
    [TestCase("full_astrasim_flattened", "i_tp2")]
    [TestCase("full_astrasim_hierarchical", "t_tp2_pp2_dp2")]
    public void ConfiguredModeRunsThroughTheCommandLine(string mode, string caseName)
    {
        using var replay = new ReplayAstraSim(CaseFolder(mode, caseName));
        var json = Path.Combine(replay.Folder, "result.json");
        var (code, _, stderr) = Run("--hardware_config", HardwareWithBinary(replay.Folder, mode, caseName, replay.BinaryPath),
            "--model_config", Path.Combine(CaseFolder(mode, caseName), "model.yaml"), "--output_dir", Path.Combine(replay.Folder, "output"),
            "--json", json);
        Assert.That(code, Is.Zero, stderr + string.Join("\n", replay.Calls));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(doc.RootElement.GetProperty("execution_backend").GetString(), Is.EqualTo(mode));
        var expected = double.Parse(AstraModeReplayTests.Row("head", caseName, mode)["total_time_s"], CultureInfo.InvariantCulture);
        var total = caseName.StartsWith('i')
            ? doc.RootElement.GetProperty("inference").GetProperty("total_s").GetDouble()
            : doc.RootElement.GetProperty("training").GetProperty("time_per_batch_s").GetDouble();
        Assert.That(total, Is.EqualTo(expected).Within(0.5).Percent);
    }

    [Test]
    public void ASimulatorThatNeverReportsExitsWithOneAndNamesTheWorkload()
    {
        // AstraSim's deadlock looks like this: exit 0 and no "Wall time" lines.
        using var silent = new FakeAstraSim(capturedOutput: "", silentCalls: int.MaxValue);
        var (code, _, stderr) = Run("--hardware_config", HardwareWithBinary(silent.Folder, "hybrid", "i_tp2", silent.BinaryPath),
            "--model_config", Path.Combine(CaseFolder("hybrid", "i_tp2"), "model.yaml"), "--output_dir", Path.Combine(silent.Folder, "output"));
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(RunPerfCommand.Failure));
            Assert.That(stderr, Does.StartWith("error: ").And.Contain("Wall time").Or.Contain("wall time"));
            Assert.That(stderr, Does.Not.Contain("   at "));
        });
    }
}
