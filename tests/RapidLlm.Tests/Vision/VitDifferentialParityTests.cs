using System.Text.Json;
using RapidLlm.Cli;

namespace RapidLlm.Tests.Vision;

/// <summary>
/// ViT shapes no oracle case covers (batch, image and patch size, prefix tokens, classifier or not, tp/cp/pp/dp, ZeRO,
/// recompute, flash, GQA/MLA, h2d, three network dimensions, H100), each run through RunPerf. The reference's printed
/// lines and result-file lines (data/vit/differential/expected.json, made by data/vit/regenerate.py) must come out
/// verbatim, and the JSON result's time and peak memory must equal its full-precision values to 1e-9.
/// </summary>
public class VitDifferentialParityTests
{
    private const double RelativeTolerance = 1e-9;

    private static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "vit", "differential");

    public static IEnumerable<TestCaseData> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "vit", "differential", "expected.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            yield return new TestCaseData(c.GetRawText()).SetName(c.GetProperty("id").GetString()!);
    }

    [TestCaseSource(nameof(Cases))]
    public void RunPerfPrintsAndReportsWhatTheReferenceDoes(string caseJson)
    {
        using var expected = JsonDocument.Parse(caseJson);
        var c = expected.RootElement;
        var id = c.GetProperty("id").GetString()!;
        var training = c.GetProperty("kind").GetString() == "training";
        var work = Directory.CreateTempSubdirectory("rapidllm-vit-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var json = Path.Combine(work, "result.json");
            var code = RunPerfCli.Run(
            [
                "--hardware_config", Path.Combine(Root, id, "hw.yaml"), "--model_config", Path.Combine(Root, id, "model.yaml"),
                "--output_dir", work, "--json", json, "--reference-energy",
            ], stdout, stderr);
            Assert.That(code, Is.Zero, stderr.ToString());

            var printed = stdout.ToString().Split('\n');
            var folder = Path.Combine(work, "VIT");
            var files = new[] { training ? "LLM_training_results.txt" : "LLM_inference_results.txt", Path.Combine("memory-summary", "memory_capacity_comparison.txt") }
                .SelectMany(f => File.ReadAllLines(Path.Combine(folder, f))).ToList();
            using var result = JsonDocument.Parse(File.ReadAllText(json));
            var r = result.RootElement;

            void Near(JsonElement actual, string key)
            {
                var want = c.GetProperty(key).GetDouble();
                Assert.That(actual.GetDouble(), Is.EqualTo(want).Within(RelativeTolerance * Math.Abs(want) + 1e-15), key);
            }

            Assert.Multiple(() =>
            {
                // The reference wrote under ./output; this run writes under its own folder.
                foreach (var line in RapidLlm.Tests.Cli.OurTextForm.Lines(c.GetProperty("expected_stdout_lines").EnumerateArray().Select(l => l.GetString()!)))
                    Assert.That(printed, Does.Contain(line.Replace(" output/VIT/", " " + folder + "/", StringComparison.Ordinal)));
                // The reference's pointer to its examples folder is dropped (docs/differences.md).
                foreach (var line in c.GetProperty("expected_file_lines").EnumerateArray().Select(l => l.GetString()).Where(l => l != RapidLlm.Tests.Cli.OurTextForm.ReferenceExamplesLine))
                    Assert.That(files, Does.Contain(line));
                Assert.That(r.GetProperty("mode").GetString(), Is.EqualTo("ViT"));
                Near(r.GetProperty("memory").GetProperty("peak_gib"), "peak_gib");
                if (training)
                {
                    Near(r.GetProperty("training").GetProperty("time_per_batch_s"), "time_per_batch_s");
                }
                else
                {
                    var inference = r.GetProperty("inference");
                    Near(inference.GetProperty("total_s"), "total_s");
                    Near(inference.GetProperty("prefill_s"), "prefill_s");
                    Near(inference.GetProperty("ttft_s"), "ttft_s");
                    Near(r.GetProperty("energy").GetProperty("prefill_j"), "prefill_energy_j");
                    Assert.That(inference.TryGetProperty("decode_rate_start", out _), Is.False, "a ViT has no decode rates");
                }
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
