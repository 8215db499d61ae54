using System.Text.Json;
using RapidLlm.Cli;

namespace RapidLlm.Tests.Calibrated;

/// <summary>RunPerf with the shipped calibrated presets: energy and average power per GPU in the JSON for training and inference.</summary>
[NonParallelizable]
public class CalibratedCommandLineTests
{
    private string _work = "";

    [SetUp]
    public void CreateWorkDirectory() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), "rapidllm-calibrated-cli-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveWorkDirectory()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private JsonElement RunJson(string hardware, string model)
    {
        var json = Path.Combine(_work, "result.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = RunPerfCli.Run(
            ["--hardware_config", GpuData.Preset(hardware), "--model_config", Simulation.ConfigFiles.Model(model), "--output_dir", Path.Combine(_work, "out"), "--json", json],
            stdout, stderr);
        Assert.That(code, Is.Zero, stderr.ToString());
        return JsonDocument.Parse(File.ReadAllText(json)).RootElement.Clone();
    }

    // Llama-3.1-8B, batch 1, 1024 + 1024 tokens on one H100 (idle 80 W, TDP 700 W): memory-bound decode.
    [TestCase("H100_SXM5_80GB.yaml", "Llama3.1-8B_inf.yaml", 80, 700)]
    [TestCase("a100_80GB.yaml", "Llama3.1-8B_inf.yaml", 55, 400)]
    public void InferenceReportsTotalEnergyAndAPhysicalAveragePower(string hardware, string model, double idle, double tdp)
    {
        var root = RunJson(hardware, model);
        var energy = root.GetProperty("energy");
        var total = energy.GetProperty("total_j").GetDouble();
        var power = energy.GetProperty("average_power_w_per_gpu").GetDouble();
        var seconds = root.GetProperty("inference").GetProperty("total_s").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(power, Is.InRange(idle, tdp));
            Assert.That(total, Is.EqualTo(power * root.GetProperty("num_gpus").GetInt32() * seconds).Within(1e-6).Percent);
            Assert.That(energy.GetProperty("prefill_j").GetDouble() + energy.GetProperty("decode_j").GetDouble(), Is.EqualTo(total).Within(1e-9).Percent);
        });
    }

    [Test]
    public void TrainingReportsTotalEnergyAndAveragePower()
    {
        var root = RunJson("a100_80GB.yaml", "Llama2-7B.yaml");
        var energy = root.GetProperty("energy");
        var gpus = root.GetProperty("num_gpus").GetInt32();
        var seconds = root.GetProperty("training").GetProperty("time_per_batch_s").GetDouble();
        var power = energy.GetProperty("average_power_w_per_gpu").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(power, Is.InRange(55, 400), "a training step keeps an A100 between idle and TDP");
            Assert.That(power, Is.GreaterThan(3 * 55), "and far above idle: training keeps the tensor cores busy");
            Assert.That(energy.GetProperty("total_j").GetDouble(), Is.EqualTo(power * gpus * seconds).Within(1e-6).Percent);
            Assert.That(energy.TryGetProperty("prefill_j", out _), Is.False, "training has no phases");
        });
    }

    [Test]
    public void TheReferenceEnergyFlagSaysItDoesNotApplyToTheCalibratedModel()
    {
        string Run(params string[] extra)
        {
            var json = Path.Combine(_work, $"energy{extra.Length}.json");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = RunPerfCli.Run(
                ["--hardware_config", GpuData.Preset("a100_80GB.yaml"), "--model_config", Simulation.ConfigFiles.Model("Llama3.1-8B_inf.yaml"),
                 "--output_dir", Path.Combine(_work, "out"), "--json", json, .. extra],
                stdout, stderr);
            Assert.That(code, Is.Zero, stderr.ToString());
            var total = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("energy").GetProperty("total_j").GetDouble();
            return $"{total:R}|{stderr}";
        }

        var plain = Run().Split('|');
        var flagged = Run("--reference-energy").Split('|');
        Assert.Multiple(() =>
        {
            Assert.That(flagged[0], Is.EqualTo(plain[0]), "the calibrated model's energy does not change");
            Assert.That(plain[1], Does.Not.Contain("--reference-energy"));
            Assert.That(flagged[1], Does.Contain("note: --reference-energy changes the reference model's energy only"));
        });
    }

    [Test]
    public void ReferenceFilesKeepTheReferenceJsonForTraining()
    {
        var root = RunJson("reference/a100_80GB.yaml", "Llama2-7B.yaml");
        Assert.That(root.TryGetProperty("energy", out _), Is.False, "the reference model has no training energy");
    }
}
