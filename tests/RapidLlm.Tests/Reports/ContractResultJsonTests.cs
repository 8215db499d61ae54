using System.Text.Json;
using RapidLlm.Reports;

namespace RapidLlm.Tests.Reports;

public class ContractResultJsonTests
{
    [Test]
    public void TrainingResultHasTheContractKeysAndOmitsTheRest()
    {
        var json = ContractResultJson.Serialize(new ContractResult(
            "LLM", "training", "analytical", 16,
            Training: new ContractTraining(0.634),
            Memory: new ContractMemory(13.36, 80.0, Fits: true)));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("schema").GetString(), Is.EqualTo("rapid-llm-result/1"));
            Assert.That(root.GetProperty("run_type").GetString(), Is.EqualTo("training"));
            Assert.That(root.GetProperty("num_gpus").GetInt32(), Is.EqualTo(16));
            Assert.That(root.GetProperty("training").GetProperty("time_per_batch_s").GetDouble(), Is.EqualTo(0.634));
            Assert.That(root.GetProperty("memory").GetProperty("fits").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("memory").TryGetProperty("prefill_peak_gib", out _), Is.False);
            Assert.That(root.TryGetProperty("inference", out _), Is.False);
            Assert.That(root.TryGetProperty("gemm", out _), Is.False);
        });
    }

    [Test]
    public void NumbersRoundTripExactly()
    {
        const double time = 0.08467649517741152;
        var json = ContractResultJson.Serialize(new ContractResult(
            "GEMM", "gemm", "analytical", 1, Gemm: new ContractGemm(time, 0.1, 0, 0.2, 0, 0)));
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.GetProperty("gemm").GetProperty("total_s").GetDouble(), Is.EqualTo(time));
    }
}
