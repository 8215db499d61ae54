using RapidLlm.Reports;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Inference;

/// <summary>Verbatim reference output (oracle OUTPUT_FORMAT.md, newest version) rebuilt from the oracle rows.</summary>
[TestFixture]
public sealed class ReferenceTextTests
{
    private static readonly string[] ReplicaTopology =
    [
        "Parallelisms: tp:1, cp:1, ep:1, pp:1, dp:1",
        "Network Topology [dims=1]",
        "  • dim0 device_fabric : tp 1 × cp 1 × ep 1 × pp 1 × dp 1 ⇒ size 1",
        "  replica_count: 4 (throughput-only)",
        "  => aggregate = 1 GPUs per modeled replica",
        "  => effective total GPUs = 4",
    ];

    [Test]
    public void Replica_count_run_prints_the_reference_computation_lines()
    {
        var e = OracleInferenceRow.Get("i_l27b_a100_dp4").Replay();
        string[] expected =
        [
            "[decode] sample step 0: seq_len=1025, time=0.0186s",
            "[decode] sample step 1023: seq_len=2048, time=0.0227s",
            "[decode] integration segment 0->1023: width=1023, midpoint=0.0207s, contribution=21.1537s",
            "[decode] total interpolated decode time: 21.1723s, energy: 16.4124J from 2 samples",
            "[prefill] time: 0.8081s, [decode] time: 21.1723s, [total] time: 21.9804s",
            "[kv-cache] prefill_store=8.0 GiB, decode_store=8.0 GiB, decode_fetch=12.0 TiB",
            "[prefill] energy: 1.45J, energy/tok: 88.64µJ [decode] energy: 16.41J, energy/tok: 1.00mJ [total] energy: 17.86J, energy/tok: 545.19µJ",
        ];
        Assert.That(InferenceReportText.ComputationLines(e), Is.EqualTo(expected));
    }

    [Test]
    public void Replica_count_run_writes_the_reference_results_file()
    {
        var e = OracleInferenceRow.Get("i_l27b_a100_dp4").Replay();
        const string expected =
            "\n\n==============================================\n" +
            "LLM Inference Results\n" +
            "==============================================\n" +
            "Execution Mode: analytical\n" +
            "Inference Time for batch: 21.98s\n" +
            "Prefill Time: 0.808s\n" +
            "Decode Time: 21.172s\n" +
            "Inference Replicas: 4\n" +
            "Time to First Token: 0.827s\n" +
            "Decode Generations per Second: start=53.69, mid(token 512)=48.36, end=44.00\n" +
            "Aggregate Decode Throughput Tok/s (batch=16, replica_count=4): start=3435.94, mid(token 512)=3094.76, end=2815.72\n" +
            "\n" +
            "Parallelisms: tp:1, cp:1, ep:1, pp:1, dp:1\n" +
            "Network Topology [dims=1]\n" +
            "  • dim0 device_fabric : tp 1 × cp 1 × ep 1 × pp 1 × dp 1 ⇒ size 1\n" +
            "  replica_count: 4 (throughput-only)\n" +
            "  => aggregate = 1 GPUs per modeled replica\n" +
            "  => effective total GPUs = 4\n";
        Assert.That(InferenceReportText.ResultsFile(e, "analytical", ReplicaTopology), Is.EqualTo(expected));
    }

    [Test]
    public void Replica_count_run_prints_the_reference_results_lines()
    {
        var e = OracleInferenceRow.Get("i_l27b_a100_dp4").Replay();
        string[] expected =
        [
            "LLM inference time: 21.98s (mode=analytical)",
            "LLM time to first token: 0.83s",
            "Inference replicas: 4",
            "Decode tok/s per sequence: start=53.69, mid(token 512)=48.36, end=44.00",
            "Aggregate decode throughput tok/s (batch=16, replica_count=4): start=3435.94, mid(token 512)=3094.76, end=2815.72",
            "LLM inference results written to output/LLM/LLM_inference_results.txt",
        ];
        Assert.That(InferenceReportText.ResultLines(e, "analytical"), Is.EqualTo(expected));
    }

    [Test]
    public void Decode_length_zero_prints_skipping_decode_and_no_rates()
    {
        var e = OracleInferenceRow.Get("i_l318b_a100_decode0").Replay();
        string[] computation =
        [
            "Skipping decode",
            "[prefill] time: 0.1250s, [decode] time: 0.0000s, [total] time: 0.1250s",
            "[kv-cache] prefill_store=0.2 GiB, decode_store=0.0 GiB, decode_fetch=0.0 GiB",
            "[prefill] energy: 301.76mJ, energy/tok: 147.34µJ [decode] energy: 0J, energy/tok: 0J [total] energy: 301.76mJ, energy/tok: 147.34µJ",
        ];
        string[] topology =
        [
            "Parallelisms: tp:1, cp:1, ep:1, pp:1, dp:1",
            "Network Topology [dims=1]",
            "  • dim0 device_fabric : tp 1 × cp 1 × ep 1 × pp 1 × dp 1 ⇒ size 1",
            "  replica_count: 1 (throughput-only)",
            "  => aggregate = 1 GPUs per modeled replica",
            "  => effective total GPUs = 1",
        ];
        const string file =
            "\n\n==============================================\n" +
            "LLM Inference Results\n" +
            "==============================================\n" +
            "Execution Mode: analytical\n" +
            "Inference Time for batch: 0.12s\n" +
            "Prefill Time: 0.125s\n" +
            "Decode Time: 0.000s\n" +
            "Time to First Token: 0.125s\n" +
            "\n" +
            "Parallelisms: tp:1, cp:1, ep:1, pp:1, dp:1\n" +
            "Network Topology [dims=1]\n" +
            "  • dim0 device_fabric : tp 1 × cp 1 × ep 1 × pp 1 × dp 1 ⇒ size 1\n" +
            "  replica_count: 1 (throughput-only)\n" +
            "  => aggregate = 1 GPUs per modeled replica\n" +
            "  => effective total GPUs = 1\n";
        Assert.Multiple(() =>
        {
            Assert.That(InferenceReportText.ComputationLines(e), Is.EqualTo(computation));
            Assert.That(InferenceReportText.ResultsFile(e, "analytical", topology), Is.EqualTo(file));
        });
    }

    [TestCase(0.0, "0.0 GiB")]
    [TestCase(268435456.0, "0.2 GiB")]
    [TestCase(1099511627776.0, "1024.0 GiB")]
    [TestCase(1100585369600.0, "1.0 TiB")]
    [TestCase(13194139533312.0, "12.0 TiB")]
    public void Kv_sizes_switch_to_tebibytes_above_1024_gibibytes(double bytes, string text) =>
        Assert.That(InferenceReportText.GibOrTib(bytes), Is.EqualTo(text));
}
