using System.Text.Json;
using RapidLlm.Cli;
using RapidLlm.Tests.EndToEnd;

namespace RapidLlm.Tests.Cli;

/// <summary>
/// Every successful oracle case through the command-line contract (YAML in, JSON out), in both schemas: the figures
/// outside checks read must equal the newest reference's.
/// </summary>
public class ContractParityTests
{
    private const double Relative = 1e-9;

    public static IEnumerable<TestCaseData> Cases() =>
        new[] { "train", "inference", "gemm" }.SelectMany(kind => OracleCases.SchemaCases(kind));

    [TestCaseSource(nameof(Cases))]
    public void JsonResultMatchesTheReference(string caseId, string hwFile, string modelFile)
    {
        var row = OracleCases.HeadRow(caseId);
        var work = Path.Combine(Path.GetTempPath(), "rapidllm-contract-" + Guid.NewGuid().ToString("N"));
        try
        {
            var json = Path.Combine(work, "result.json");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = RunPerfCli.Run(
            [
                "--hardware_config", OracleCases.CaseFile(caseId, hwFile), "--model_config", OracleCases.CaseFile(caseId, modelFile),
                "--output_dir", Path.Combine(work, "output"), "--json", json, "--reference-energy",
            ], stdout, stderr);
            if (code == 2 && stderr.ToString().Contains("not supported yet", StringComparison.Ordinal))
                SkipReason.Skip("Not modelled yet: " + stderr.ToString().Trim());
            Assert.That(code, Is.Zero, stderr.ToString());
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;

            void Check(JsonElement block, string key, string column)
            {
                if (row[column].Length == 0) return;
                var expected = OracleCases.Number(row, column);
                Assert.That(block.GetProperty(key).GetDouble(), Is.EqualTo(expected).Within(Relative * Math.Abs(expected) + 1e-15), $"{key} vs {column}");
            }

            Assert.Multiple(() =>
            {
                if (row["num_gpus"].Length > 0)
                    Assert.That(root.GetProperty("num_gpus").GetInt32(), Is.EqualTo((int)OracleCases.Number(row, "num_gpus")), "num_gpus");
                switch (row["kind"])
                {
                    case "train":
                        Check(root.GetProperty("training"), "time_per_batch_s", "train_time_s");
                        if (root.TryGetProperty("memory", out var trainMemory)) Check(trainMemory, "peak_gib", "peak_mem_gib");
                        break;
                    case "inference":
                        var inference = root.GetProperty("inference");
                        Check(inference, "total_s", "inf_total_s");
                        Check(inference, "prefill_s", "prefill_s");
                        Check(inference, "decode_s", "decode_s");
                        Check(inference, "ttft_s", "ttft_s");
                        if (inference.TryGetProperty("decode_rate_mid", out _)) Check(inference, "decode_rate_mid", "decode_rate_mid");
                        Check(root.GetProperty("energy"), "total_j", "energy_total_j");
                        var memory = root.GetProperty("memory");
                        Check(memory, "peak_gib", "peak_mem_gib");
                        Check(memory, "prefill_peak_gib", "prefill_peak_gib");
                        break;
                    case "gemm":
                        Check(root.GetProperty("gemm"), "total_s", "gemm_total_s");
                        Check(root.GetProperty("gemm"), "forward_compute_s", "gemm_fwd_compute_s");
                        break;
                }
            });
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }
}
