using System.Globalization;
using System.Text.Json;
using RapidLlm.AstraSim.Running;
using RapidLlm.Cli;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// Every AstraSim mode run the way a user runs it: from a fresh working folder, with the default output folder
/// (<c>output</c>, a relative path), through the command's entry point. The binary runs in a work folder of its own, so
/// any relative path it was handed would be read from the wrong place.
/// </summary>
[NonParallelizable]
public sealed class AstraScratchFolderTests
{
    private static string CaseFolder(string mode, string caseName) => Path.Combine(AstraArtifacts.Artifacts, mode, $"head_317a2cb_{caseName}");

    [TestCase("hybrid", "i_tp2")]
    [TestCase("full_astrasim_hierarchical", "i_tp2")]
    [TestCase("full_astrasim_flattened", "i_tp2")]
    [TestCase("hybrid", "t_tp2_pp2_dp2")]
    [TestCase("full_astrasim_hierarchical", "t_tp2_pp2_dp2")]
    public void Stand_in_binary_runs_from_a_scratch_folder_with_the_default_output_folder(string mode, string caseName)
    {
        using var replay = new ReplayAstraSim(CaseFolder(mode, caseName));
        var (code, total, stderr, resultsInScratch) = RunFromScratch(mode, caseName, replay.BinaryPath);
        Assert.That(code, Is.Zero, stderr + string.Join("\n", replay.Calls));
        Assert.Multiple(() =>
        {
            Assert.That(replay.Calls, Is.Not.Empty.And.All.Not.StartWith("miss"), "every AstraSim call found its traces");
            Assert.That(total, Is.EqualTo(Expected(mode, caseName)).Within(0.5).Percent);
            Assert.That(resultsInScratch, Is.True, "results land under the scratch folder's output/LLM");
        });
    }

    [TestCase("hybrid", "i_tp2")]
    [TestCase("full_astrasim_hierarchical", "i_tp2")]
    [TestCase("full_astrasim_flattened", "i_tp2")]
    [TestCase("hybrid", "t_tp2_pp2_dp2")]
    [TestCase("full_astrasim_hierarchical", "t_tp2_pp2_dp2")]
    public void Real_binary_runs_from_a_scratch_folder_with_the_default_output_folder(string mode, string caseName)
    {
        var binary = Environment.GetEnvironmentVariable(AstraSimBinaryLocator.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(binary) || !File.Exists(binary))
        {
            SkipReason.Skip($"No AstraSim binary: set {AstraSimBinaryLocator.EnvironmentVariable} to a built AstraSim_Analytical_Congestion_Aware to run this test.");
        }

        var (code, total, stderr, _) = RunFromScratch(mode, caseName, Path.GetFullPath(binary!));
        Assert.That(code, Is.Zero, stderr);
        Assert.That(total, Is.EqualTo(Expected(mode, caseName)).Within(0.5).Percent);
    }

    private static double Expected(string mode, string caseName) =>
        double.Parse(AstraModeReplayTests.Row("head", caseName, mode)["total_time_s"], CultureInfo.InvariantCulture);

    private static (int Code, double Total, string Stderr, bool ResultsInScratch) RunFromScratch(string mode, string caseName, string binary)
    {
        var scratch = Directory.CreateTempSubdirectory("astra-scratch-").FullName;
        var previous = Environment.CurrentDirectory;
        try
        {
            var text = File.ReadAllText(Path.Combine(CaseFolder(mode, caseName), "hw.yaml"))
                .Replace("  astra:\n    backend: astra\n", $"  astra:\n    backend: astra\n    binary: {binary}\n", StringComparison.Ordinal);
            Assert.That(text, Does.Contain("binary: "));
            File.WriteAllText(Path.Combine(scratch, "hw.yaml"), text);
            File.Copy(Path.Combine(CaseFolder(mode, caseName), "model.yaml"), Path.Combine(scratch, "model.yaml"));
            Environment.CurrentDirectory = scratch;
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            // Relative file names and no --output_dir: exactly what a user types in the folder holding the configs.
            var code = RunPerfCli.Run(["--hardware_config", "hw.yaml", "--model_config", "model.yaml", "--json", "result.json"], stdout, stderr);
            var total = double.NaN;
            if (code == 0)
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(scratch, "result.json")));
                total = caseName.StartsWith('i')
                    ? doc.RootElement.GetProperty("inference").GetProperty("total_s").GetDouble()
                    : doc.RootElement.GetProperty("training").GetProperty("time_per_batch_s").GetDouble();
            }

            var results = caseName.StartsWith('i') ? "LLM_inference_results.txt" : "LLM_training_results.txt";
            return (code, total, stderr.ToString(), File.Exists(Path.Combine(scratch, "output", "LLM", results)));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(scratch, recursive: true);
        }
    }
}
