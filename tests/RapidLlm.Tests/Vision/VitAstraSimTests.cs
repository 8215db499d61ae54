using System.Text.Json;
using RapidLlm.AstraSim.Execution;
using RapidLlm.AstraSim.Running;
using RapidLlm.Cli;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Inference;
using RapidLlm.Tests.AstraSim;

namespace RapidLlm.Tests.Vision;

/// <summary>
/// ViT in the AstraSim modes. The reference was run in hybrid and full_astrasim_hierarchical mode on a ViT-B/16
/// inference (tp 2) and a DINOv3-style ViT-B/16 training case (tp 2, pp 2, dp 2), with every AstraSim call's inputs and
/// output recorded (data/vit/astra). Without a binary, a stand-in answers only byte-identical traces with the recorded
/// output, so the run passes only if every trace we write equals the reference's; with a real binary
/// (RAPID_ASTRA_SIM_BIN) the same cases run on it. The flattened mode is rejected for ViT, as the reference does.
/// </summary>
public sealed class VitAstraSimTests
{
    private static string Folder(string caseName) => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "vit", "astra", caseName);

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var mode in new[] { "hybrid", "full_astrasim_hierarchical" })
        {
            yield return new TestCaseData($"vit_b16_inf_tp2_{mode}", mode).SetName($"vit_b16_inf_tp2_{mode}");
            yield return new TestCaseData($"dinov3_b16_train_tp2_pp2_dp2_{mode}", mode).SetName($"dinov3_b16_train_tp2_pp2_dp2_{mode}");
        }
    }

    private static (double Total, double PeakGib) Estimate(string caseName, string binary, string output)
    {
        var folder = Folder(caseName);
        var run = ConfigValidator.Validate(HardwareConfig.LoadYaml(Path.Combine(folder, "hw.yaml")), ModelConfig.LoadYaml(Path.Combine(folder, "model.yaml")));
        var device = new DeviceModels(run.Hardware);
        var backend = ExecutionBackendFactory.Create(run.Hardware, device.Collectives, new AstraSimOptions(output, binary));
        if (run.Model.RunType == RunType.Training)
        {
            var e = new TrainingEstimator(device, backend).Estimate(run.Model.Transformer!);
            return (e.TimePerBatchSeconds, e.Memory!.Report.PeakGib);
        }

        var i = new LlmInferenceEstimator(device, backend, EnergyAccounting.ReferenceSingleLayer).Estimate(run.Model.Transformer!);
        return (i.TotalSeconds, i.Memory!.Report.PeakGib);
    }

    private static (double Total, double PeakGib) Expected(string caseName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(caseName), "expected.json")));
        return (doc.RootElement.GetProperty("total_s").GetDouble(), doc.RootElement.GetProperty("peak_gib").GetDouble());
    }

    [TestCaseSource(nameof(Cases))]
    public void ReplayedTracesGiveTheReferenceResult(string caseName, string mode)
    {
        using var replay = new ReplayAstraSim(Folder(caseName));
        (double Total, double PeakGib) actual;
        try
        {
            actual = Estimate(caseName, replay.BinaryPath, Path.Combine(replay.Folder, "output"));
        }
        finally
        {
            TestContext.Out.WriteLine(string.Join("\n", replay.Calls));
        }

        var expected = Expected(caseName);
        Assert.Multiple(() =>
        {
            Assert.That(actual.Total, Is.EqualTo(expected.Total).Within(1e-9 * expected.Total), mode);
            Assert.That(actual.PeakGib, Is.EqualTo(expected.PeakGib).Within(1e-9 * expected.PeakGib));
            Assert.That(replay.Calls, Is.Not.Empty.And.All.StartsWith("hit"), "every AstraSim workload equals the reference's");
        });
    }

    [TestCaseSource(nameof(Cases))]
    [Category("AstraSimBinary")]
    public void RealBinaryGivesTheReferenceResult(string caseName, string mode)
    {
        if (!AstraSimBinaryLocator.TryLocate(null, out var binary, Environment.GetEnvironmentVariable))
            Assert.Ignore($"No AstraSim binary: set {AstraSimBinaryLocator.EnvironmentVariable} or build {AstraSimBinaryLocator.DefaultRelativePath} to run this test.");
        var output = Directory.CreateTempSubdirectory("vit-astra-real-").FullName;
        try
        {
            var actual = Estimate(caseName, binary!, output);
            var expected = Expected(caseName);
            TestContext.Out.WriteLine(FormattableString.Invariant($"VIT-ASTRA {mode} {caseName} ours={actual.Total:R} ref={expected.Total:R}"));
            Assert.That(actual.Total, Is.EqualTo(expected.Total).Within(1e-9 * expected.Total));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [TestCase("vit_b16_inf_tp2_hybrid")]
    [TestCase("dinov3_b16_train_tp2_pp2_dp2_hybrid")]
    public void TheFlattenedModeIsRejectedForViT(string caseName)
    {
        var work = Directory.CreateTempSubdirectory("vit-flat-").FullName;
        try
        {
            var hardware = Path.Combine(work, "hw.yaml");
            var text = File.ReadAllText(Path.Combine(Folder(caseName), "hw.yaml"));
            File.WriteAllText(hardware, text.Replace("mode: hybrid", "mode: full_astrasim_flattened", StringComparison.Ordinal));
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = RunPerfCli.Run(["--hardware_config", hardware, "--model_config", Path.Combine(Folder(caseName), "model.yaml"), "--output_dir", work], stdout, stderr);
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput));
                Assert.That(stderr.ToString(), Does.Contain("execution_backend.astra.mode").And.Contain("full_astrasim_flattened").And.Contain("ViT"));
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public void RunPerfWritesTheAstraSimRunUnderVit()
    {
        const string caseName = "vit_b16_inf_tp2_full_astrasim_hierarchical";
        using var replay = new ReplayAstraSim(Folder(caseName));
        var hardware = Path.Combine(replay.Folder, "hw.yaml");
        File.WriteAllText(hardware, File.ReadAllText(Path.Combine(Folder(caseName), "hw.yaml"))
            .Replace("  astra:\n", $"  astra:\n    binary_path: {replay.BinaryPath}\n", StringComparison.Ordinal));
        var json = Path.Combine(replay.Folder, "result.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // A relative output folder (like the default ./output) must still reach AstraSim, which runs in its own folder.
        var relativeOutput = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(replay.Folder, "output"));
        var code = RunPerfCli.Run(["--hardware_config", hardware, "--model_config", Path.Combine(Folder(caseName), "model.yaml"),
            "--output_dir", relativeOutput, "--json", json], stdout, stderr);
        Assert.That(code, Is.Zero, stderr.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Multiple(() =>
        {
            Assert.That(doc.RootElement.GetProperty("execution_backend").GetString(), Is.EqualTo("full_astrasim_hierarchical"));
            Assert.That(doc.RootElement.GetProperty("mode").GetString(), Is.EqualTo("ViT"));
            Assert.That(doc.RootElement.GetProperty("inference").GetProperty("total_s").GetDouble(), Is.EqualTo(Expected(caseName).Total).Within(1e-9 * Expected(caseName).Total));
            Assert.That(File.Exists(Path.Combine(replay.Folder, "output", "VIT", "LLM_inference_results.txt")));
            Assert.That(stdout.ToString(), Does.Contain("LLM inference time: 0.00s (mode=full_astrasim_hierarchical)"));
        });
    }
}
