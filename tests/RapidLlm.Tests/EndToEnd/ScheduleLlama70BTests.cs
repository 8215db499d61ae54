using System.Text.Json;
using System.Text.RegularExpressions;
using RapidLlm.Cli;
using RapidLlm.Simulation;
using RapidLlm.Tests.Simulation;

namespace RapidLlm.Tests.EndToEnd;

/// <summary>
/// Llama-3.1-70B at tp 8 (sequence parallel) × pp 8 on the shipped H100 preset, 8192-token sequences, one sequence per
/// micro-batch, selective recompute, through RunPerf as a user runs it: 1F1B's peak memory stays put from 16 to 32
/// micro-batches while GPipe's grows, and interleaving (v = 2) is faster than 1F1B.
/// </summary>
public class ScheduleLlama70BTests
{
    private static readonly Dictionary<(string Schedule, int MicroBatches), double> Peaks = [];

    private static (string Hardware, string Model) Files(string work, string schedule, int microBatches)
    {
        var extra = $"  pipeline_schedule: {schedule}\n" + (schedule == "interleaved_1f1b" ? "  virtual_stages: 2\n" : "");
        var hardware = File.ReadAllText(ConfigFiles.Hardware("H100_SXM5_80GB.yaml"))
            .Replace("full_recomputation: true", "full_recomputation: false", StringComparison.Ordinal);
        hardware = Regex.Replace(hardware, @"\n  tp: \d+\n", "\n  tp: 8\n");
        hardware = Regex.Replace(hardware, @"\n  pp: \d+\n  mb: \d+\n", $"\n  pp: 8\n  mb: {microBatches}\n{extra}");
        var model = File.ReadAllText(ConfigFiles.Model("Llama3.1-70B.yaml"))
            .Replace("global_batch_size: 16", $"global_batch_size: {microBatches}", StringComparison.Ordinal)
            .Replace("seq_len: 65536", "seq_len: 8192", StringComparison.Ordinal);
        var files = (Path.Combine(work, $"hw_{schedule}_{microBatches}.yaml"), Path.Combine(work, $"model_{microBatches}.yaml"));
        File.WriteAllText(files.Item1, hardware);
        File.WriteAllText(files.Item2, model);
        return files;
    }

    /// <summary>Peak GiB per GPU from RunPerf's JSON (memory only: the per-rank graph, as a full run simulates it).</summary>
    private static double PeakGib(string schedule, int microBatches)
    {
        lock (Peaks)
        {
            if (Peaks.TryGetValue((schedule, microBatches), out var cached)) return cached;
        }

        var work = Directory.CreateTempSubdirectory("rapidllm-sched-70b-").FullName;
        try
        {
            var (hardware, model) = Files(work, schedule, microBatches);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var json = Path.Combine(work, "result.json");
            var code = RunPerfCli.Run(["--hardware_config", hardware, "--model_config", model, "--output_dir", Path.Combine(work, "out"),
                "--json", json, "--memory-only"], stdout, stderr);
            Assert.That(code, Is.Zero, stderr.ToString());
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var peak = doc.RootElement.GetProperty("memory").GetProperty("peak_gib").GetDouble();
            lock (Peaks) Peaks[(schedule, microBatches)] = peak;
            return peak;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Seconds per batch, as RunPerf prints it (the timing alone; memory is checked above).</summary>
    private static double Seconds(string schedule, int microBatches)
    {
        var work = Directory.CreateTempSubdirectory("rapidllm-sched-70b-").FullName;
        try
        {
            var (hardware, model) = Files(work, schedule, microBatches);
            return LlmSimulation.FromYaml(hardware, model).EstimateTraining(includeMemory: false).TimePerBatchSeconds;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public void OneFOneBMemoryStaysFlatWhileGPipesGrows()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PeakGib("1f1b", 32), Is.EqualTo(PeakGib("1f1b", 16)).Within(1e-9).Percent);
            Assert.That(PeakGib("gpipe", 32), Is.GreaterThan(1.5 * PeakGib("gpipe", 16)));
            Assert.That(PeakGib("1f1b", 16), Is.LessThan(PeakGib("gpipe", 16)));
        });
    }

    [TestCase(16)]
    [TestCase(32)]
    public void InterleavingIsFasterThan1F1B(int microBatches)
    {
        Assert.That(Seconds("interleaved_1f1b", microBatches), Is.LessThan(Seconds("1f1b", microBatches)));
    }
}
