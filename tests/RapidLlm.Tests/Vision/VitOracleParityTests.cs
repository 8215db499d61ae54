using System.Text.Json;
using RapidLlm.Cli;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Vision;

/// <summary>
/// The newest reference's own ViT cases (data/vit/oracle: ViT-B/16 and DINOv3 ViT-7B/16, training and inference, with
/// its captured full-precision values): time per batch or inference total and the per-GPU peak within 1e-9 through the
/// library, and RunPerf's stdout identical to the reference's apart from the wall-clock line.
/// </summary>
public class VitOracleParityTests
{
    private const double RelativeTolerance = 1e-9;

    private static string Case(string id, string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "vit", "oracle", id, file);

    [TestCase("v_base_inf_1gpu", 0.0023346207751548465, 0.16214747726917267)]
    [TestCase("v_base_inf_b32_flash", 0.007243464384445501, 0.20582814514636993)]
    [TestCase("v_7b_inf_tp2", 0.017447452268247322, 6.2618560791015625)]
    public void InferenceMatchesTheReference(string id, double totalSeconds, double peakGib)
    {
        var run = ConfigValidator.Validate(HardwareConfig.LoadYaml(Case(id, "hw.yaml")), ModelConfig.LoadYaml(Case(id, "model.yaml")));
        var e = new LlmInferenceEstimator(new DeviceModels(run.Hardware), energyAccounting: EnergyAccounting.ReferenceSingleLayer)
            .Estimate(run.Model.Transformer!);
        using var capture = JsonDocument.Parse(File.ReadAllText(Case(id, "capture.json")));
        var energy = capture.RootElement.GetProperty("inference_parts").GetProperty("prefill").GetProperty("energy_j").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(e.TotalSeconds, Is.EqualTo(totalSeconds).Within(RelativeTolerance * totalSeconds));
            Assert.That(e.TimeToFirstTokenSeconds, Is.EqualTo(totalSeconds).Within(RelativeTolerance * totalSeconds), "one pass: the first output is the whole run");
            Assert.That(e.DecodeSeconds, Is.Zero);
            Assert.That(e.Memory!.Report.PeakGib, Is.EqualTo(peakGib).Within(RelativeTolerance * peakGib));
            Assert.That(e.Energy.PrefillJoules, Is.EqualTo(energy).Within(RelativeTolerance * energy));
            Assert.That(e.KvCache.PrefillStoreBytes, Is.Zero, "a ViT keeps no KV cache");
            Assert.That(e.Rates, Is.Null);
        });
    }

    [TestCase("v_base_train_b64", 0.06260061275053312, 6.841454029083252)]
    [TestCase("v_7b_train_tp4_pp2_dp2", 1.6319754947629916, 56.57423400878906)]
    public void TrainingMatchesTheReference(string id, double secondsPerBatch, double peakGib)
    {
        var run = ConfigValidator.Validate(HardwareConfig.LoadYaml(Case(id, "hw.yaml")), ModelConfig.LoadYaml(Case(id, "model.yaml")));
        var e = new TrainingEstimator(new DeviceModels(run.Hardware)).Estimate(run.Model.Transformer!);
        Assert.Multiple(() =>
        {
            Assert.That(e.TimePerBatchSeconds, Is.EqualTo(secondsPerBatch).Within(RelativeTolerance * secondsPerBatch));
            Assert.That(e.Memory!.Report.PeakGib, Is.EqualTo(peakGib).Within(RelativeTolerance * peakGib));
        });
    }

    [TestCase("v_base_inf_1gpu")]
    [TestCase("v_base_inf_b32_flash")]
    [TestCase("v_7b_inf_tp2")]
    [TestCase("v_base_train_b64")]
    [TestCase("v_7b_train_tp4_pp2_dp2")]
    public void MemoryOnlyPrintsWhatTheReferencePrinted(string id)
    {
        // The reference's RAPID_MEM_ONLY=1 output (memory_only_stdout.txt); a ViT has no decode peak there.
        var work = Directory.CreateTempSubdirectory("rapidllm-vit-memory-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = RunPerfCli.Run(
                ["--hardware_config", Case(id, "hw.yaml"), "--model_config", Case(id, "model.yaml"), "--output_dir", work, "--memory-only"],
                stdout, stderr);
            Assert.That(code, Is.Zero, stderr.ToString());
            var printed = stdout.ToString().Split('\n').Where(l => l.Trim().Length > 0 && !l.StartsWith("RAPID-LLM wall-clock", StringComparison.Ordinal));
            Assert.That(printed, Is.EqualTo(File.ReadAllLines(Case(id, "memory_only_stdout.txt"))));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [TestCase("v_base_inf_1gpu")]
    [TestCase("v_base_inf_b32_flash")]
    [TestCase("v_7b_inf_tp2")]
    [TestCase("v_base_train_b64")]
    [TestCase("v_7b_train_tp4_pp2_dp2")]
    public void RunPerfPrintsWhatTheReferencePrinted(string id)
    {
        var work = Directory.CreateTempSubdirectory("rapidllm-vit-oracle-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = RunPerfCli.Run(
                ["--hardware_config", Case(id, "hw.yaml"), "--model_config", Case(id, "model.yaml"), "--output_dir", work, "--reference-energy"],
                stdout, stderr);
            Assert.That(code, Is.Zero, stderr.ToString());
            string[] Comparable(string text) => text.Replace("\r", "", StringComparison.Ordinal).Split('\n')
                .Where(l => !l.StartsWith("RAPID-LLM wall-clock time", StringComparison.Ordinal)).ToArray();
            var expected = Comparable(RapidLlm.Tests.Cli.OurTextForm.Stdout(File.ReadAllText(Case(id, "stdout.txt"))))
                .Select(l => l.Replace(" output/VIT/", " " + Path.Combine(work, "VIT") + "/", StringComparison.Ordinal));
            Assert.That(Comparable(stdout.ToString()), Is.EqualTo(expected));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
