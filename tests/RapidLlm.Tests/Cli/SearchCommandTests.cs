using System.Globalization;
using System.Text.Json;
using RapidLlm.Cli;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Tests.Simulation;

namespace RapidLlm.Tests.Cli;

/// <summary>
/// <c>RunPerf search</c> replaces the hardware file's degrees and keeps the rest of it, sequence parallelism included:
/// a candidate written back into the file estimates exactly what the search reported.
/// </summary>
[NonParallelizable]
public class SearchCommandTests
{
    private string _work = "";

    [SetUp]
    public void CreateWorkDirectory() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), "rapidllm-search-cli-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveWorkDirectory()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void The_files_sequence_parallelism_is_kept_and_a_candidate_written_back_estimates_the_same(bool sequenceParallel)
    {
        var hardwareYaml = File.ReadAllText(ConfigFiles.Hardware("a100_80GB.yaml"))
            .Replace("  tp_sp: true\n", $"  tp_sp: {(sequenceParallel ? "true" : "false")}\n", StringComparison.Ordinal);
        var modelYaml = File.ReadAllText(ConfigFiles.Model("Llama2-7B.yaml"))
            .Replace("  num_layers: 32\n", "  num_layers: 4\n", StringComparison.Ordinal);
        var hardware = Path.Combine(_work, "hw.yaml");
        var model = Path.Combine(_work, "model.yaml");
        File.WriteAllText(hardware, hardwareYaml);
        File.WriteAllText(model, modelYaml);
        var json = Path.Combine(_work, "search.json");

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(["search", "--hardware_config", hardware, "--model_config", model, "--gpus", "4", "--json", json, "--no-progress"], stdout, stderr);
        Assert.That(code, Is.Zero, stderr.ToString());

        var candidates = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("candidates").EnumerateArray()
            .Select(c => c.Clone()).ToList();
        var tensorParallel = candidates.Where(c => c.GetProperty("tp").GetInt32() > 1).ToList();
        Assert.That(tensorParallel, Is.Not.Empty);
        Assert.That(tensorParallel.Select(c => c.GetProperty("sequence_parallel").GetBoolean()).Distinct(), Is.EqualTo(new[] { sequenceParallel }));

        var candidate = tensorParallel[0];
        int Int(string key) => candidate.GetProperty(key).GetInt32();
        var written = hardwareYaml
            .Replace("  tp: 2\n", $"  tp: {Int("tp")}\n", StringComparison.Ordinal)
            .Replace("  cp: 1\n", $"  cp: {Int("cp")}\n", StringComparison.Ordinal)
            .Replace("  pp: 1\n  mb: 1\n", $"  pp: {Int("pp")}\n  mb: {Int("micro_batches")}\n", StringComparison.Ordinal)
            .Replace("    dp: 1\n", $"    dp: {Int("dp")}\n", StringComparison.Ordinal)
            .Replace("  dp_zero_stage: 1\n", $"  dp_zero_stage: {Int("zero_stage")}\n", StringComparison.Ordinal)
            .Replace("  full_recomputation: true\n",
                $"  full_recomputation: {(candidate.GetProperty("recompute").GetString() == "full" ? "true" : "false")}\n", StringComparison.Ordinal);
        var estimate = LlmSimulation.Create().Hardware(HardwareConfig.LoadYamlText(written, "written.yaml")).Model(model).Build().EstimateTraining();
        Assert.That(candidate.GetProperty("time_per_batch_s").GetDouble(), Is.EqualTo(estimate.TimePerBatchSeconds).Within(1e-12).Percent,
            string.Create(CultureInfo.InvariantCulture, $"{candidate}"));
        Assert.That(candidate.GetProperty("peak_gib").GetDouble(), Is.EqualTo(estimate.Memory!.Report.PeakGib).Within(1e-12).Percent);
    }
}
