using System.Text.Json;
using RapidLlm.Cli;
using RapidLlm.Tests.EndToEnd;

namespace RapidLlm.Tests.Cli;

/// <summary>The command-line contract, run in process: stdout lines, result files, JSON and exit codes.</summary>
[NonParallelizable]
public class RunPerfCommandTests
{
    private string _workDirectory = "";

    [SetUp]
    public void CreateWorkDirectory()
    {
        _workDirectory = Path.Combine(Path.GetTempPath(), "rapidllm-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDirectory);
    }

    [TearDown]
    public void RemoveWorkDirectory()
    {
        if (Directory.Exists(_workDirectory)) Directory.Delete(_workDirectory, recursive: true);
    }

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = RunPerfCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string[] CaseArgs(string caseId, params string[] extra) =>
    [
        "--hardware_config", OracleCases.CaseFile(caseId, "hw.head.yaml"),
        "--model_config", OracleCases.CaseFile(caseId, "model.head.yaml"),
        "--output_dir", Path.Combine(_workDirectory, "output"),
        .. extra,
    ];

    private static string Expected(string name) =>
        File.ReadAllText(Path.Combine(OracleCases.Root, "output_format", name));

    // The only line that legitimately differs is the elapsed time.
    private static IEnumerable<string> Comparable(string text) => text.Split('\n')
        .Where(l => !l.StartsWith("RAPID-LLM wall-clock time", StringComparison.Ordinal))
        .Select(l => l.Replace(" output/LLM/", " <out>/LLM/", StringComparison.Ordinal));

    private string Normalise(string text) => text.Replace(Path.Combine(_workDirectory, "output") + "/", "output/", StringComparison.Ordinal);

    [Test]
    public void TrainingPrintsTheReferenceLinesAndFiles()
    {
        var json = Path.Combine(_workDirectory, "result.json");
        var (code, stdout, stderr) = Run(CaseArgs("t_l27b_a100_tp2", "--json", json));
        Assert.That(code, Is.Zero, stderr);
        Assert.That(Comparable(Normalise(stdout)), Is.EqualTo(Comparable(OurTextForm.Stdout(Expected("train_tp2_head__stdout.txt")))));
        var results = File.ReadAllText(Path.Combine(_workDirectory, "output", "LLM", "LLM_training_results.txt"));
        Assert.That(results, Is.EqualTo(OurTextForm.ResultsFile(Expected("train_tp2_head__output_LLM_LLM_training_results_txt.txt"))));
        var memory = File.ReadAllText(Path.Combine(_workDirectory, "output", "LLM", "memory-summary", "memory_capacity_comparison.txt"));
        Assert.That(memory, Is.EqualTo(Expected("train_tp2_head__output_LLM_memory_summary_memory_capacity_comparison_txt.txt")));

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("run_type").GetString(), Is.EqualTo("training"));
        Assert.That(root.GetProperty("num_gpus").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("training").GetProperty("time_per_batch_s").GetDouble(),
            Is.EqualTo(6.677031534003755).Within(1e-9).Percent);
        Assert.That(root.GetProperty("memory").GetProperty("peak_gib").GetDouble(), Is.EqualTo(375.2197265625).Within(1e-9).Percent);
        Assert.That(root.GetProperty("memory").GetProperty("fits").GetBoolean(), Is.False);
    }

    [Test]
    public void InferenceWithReferenceEnergyPrintsTheReferenceLines()
    {
        var (code, stdout, stderr) = Run(CaseArgs("i_l27b_a100_dp4", "--reference-energy"));
        Assert.That(code, Is.Zero, stderr);
        Assert.That(Comparable(Normalise(stdout)), Is.EqualTo(Comparable(OurTextForm.Stdout(Expected("inf_dp4_head__stdout.txt")))));
        var results = File.ReadAllText(Path.Combine(_workDirectory, "output", "LLM", "LLM_inference_results.txt"));
        Assert.That(results, Is.EqualTo(OurTextForm.ResultsFile(Expected("inf_dp4_head__output_LLM_LLM_inference_results_txt.txt"))));
        var memory = File.ReadAllText(Path.Combine(_workDirectory, "output", "LLM", "memory-summary", "memory_capacity_comparison.txt"));
        Assert.That(memory, Is.EqualTo(Expected("inf_dp4_head__output_LLM_memory_summary_memory_capacity_comparison_txt.txt")));
    }

    [Test]
    public void MemoryOnlyReportsPeaksWithoutTiming()
    {
        var json = Path.Combine(_workDirectory, "result.json");
        var (code, stdout, stderr) = Run(CaseArgs("i_l27b_a100_dp4", "--memory-only", "--memory-breakdown", "--json", json));
        Assert.That(code, Is.Zero, stderr);
        Assert.Multiple(() =>
        {
            Assert.That(stdout, Does.StartWith("Memory-only inference estimation\n"));
            Assert.That(stdout, Does.Contain("  Prefill peak (per gpu): 21.28 GiB\n"));
            Assert.That(stdout, Does.Contain("  Final decode peak (per gpu): 28.31 GiB\n"));
            Assert.That(stdout, Does.Contain("  Headroom: 51.69 GiB\n"));
            Assert.That(stdout, Does.Contain("KV cache"));
            Assert.That(stdout, Does.Not.Contain("LLM inference time"));
        });
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(doc.RootElement.TryGetProperty("inference", out _), Is.False);
        Assert.That(doc.RootElement.GetProperty("memory").GetProperty("decode_peak_gib").GetDouble(), Is.EqualTo(28.307594299316406).Within(1e-9).Percent);
    }

    [Test]
    public void TrainingMemoryOnlyAndBreakdownAddUp()
    {
        var (code, stdout, stderr) = Run(CaseArgs("t_l27b_a100_dp8_z3", "--memory-only", "--memory-breakdown"));
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("Memory-only training estimation\n  Peak (per gpu): 126.29 GiB\n"));
        Assert.That(stdout, Does.Contain("total at peak"));
        Assert.That(stdout, Does.Contain("ZeRO-3 gathers"));
    }

    [Test]
    public void DecodeLengthZeroSkipsDecodeLikeTheNewestReference()
    {
        var (code, stdout, stderr) = Run(CaseArgs("i_l318b_a100_decode0", "--reference-energy"));
        Assert.That(code, Is.Zero, stderr);
        Assert.That(Comparable(Normalise(stdout)), Is.EqualTo(Comparable(OurTextForm.Stdout(Expected("inf_decode0_head__stdout.txt")))));
    }

    [Test]
    public void InferenceJsonHasTheContractBlocks()
    {
        var json = Path.Combine(_workDirectory, "result.json");
        var (code, _, stderr) = Run(CaseArgs("i_l27b_a100_dp4", "--json", json));
        Assert.That(code, Is.Zero, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var inference = doc.RootElement.GetProperty("inference");
        Assert.Multiple(() =>
        {
            Assert.That(doc.RootElement.GetProperty("num_gpus").GetInt32(), Is.EqualTo(4));
            Assert.That(inference.GetProperty("total_s").GetDouble(), Is.EqualTo(21.98041131702365).Within(1e-9).Percent);
            Assert.That(inference.GetProperty("decode_rate_start").GetDouble(), Is.EqualTo(53.69).Within(0.01));
            Assert.That(inference.GetProperty("aggregate_tokens_per_s_start").GetDouble(), Is.EqualTo(3435.94).Within(0.01));
            // Every layer is counted by default, so energy exceeds the reference's one-layer figure.
            Assert.That(doc.RootElement.GetProperty("energy").GetProperty("total_j").GetDouble(), Is.GreaterThan(17.86 * 10));
        });
    }

    [Test]
    public void GemmWritesTheSummaryWithTheTrueBackwardComputeTime()
    {
        var json = Path.Combine(_workDirectory, "result.json");
        var (code, stdout, stderr) = Run(CaseArgs("g_gemm_dp2_fwdbwd", "--json", json));
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("Total time: 0.013626202315773557\n"));
        Assert.That(stdout, Does.Contain("Reduction BWD time: 0.0029651872584461622\n"));
        var summary = File.ReadAllLines(Path.Combine(_workDirectory, "output", "GEMM", "summary_modeGEMM_M8192_K8192_N8192.txt"));
        var expected = Expected("gemm_dp2__output_GEMM_summary_modeGEMM_M8192_K8192_N8192_txt.txt").TrimEnd('\n').Split('\n');
        // Identical except the backward compute line, where the reference subtracts a reduction it never added.
        Assert.That(summary.Where(l => !l.StartsWith("Backward Compute", StringComparison.Ordinal)),
            Is.EqualTo(expected.Where(l => !l.StartsWith("Backward Compute", StringComparison.Ordinal))));
        Assert.That(summary, Does.Contain("Backward Compute Time: 0.00706867171000788"));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(doc.RootElement.GetProperty("gemm").GetProperty("dp_reduction_s").GetDouble(), Is.EqualTo(0.0029651872584461622));
    }

    [TestCase("e_batch_not_div_dp", "global_batch_size")]
    [TestCase("e_gqa_kvheads_not_divisor", "kv_heads")]
    [TestCase("e_flash_without_tile", "attention_tile_size")]
    [TestCase("e_topk_gt_experts", "top_k")]
    [TestCase("e_bad_model_type", "model_type")]
    [TestCase("e_mla_attention", "kv_lora_rank")]
    public void InvalidInputExitsWithTwoAndNamesTheField(string caseId, string field)
    {
        var json = Path.Combine(_workDirectory, "result.json");
        var (code, stdout, stderr) = Run(CaseArgs(caseId, "--json", json));
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain(field));
            Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(File.Exists(json), Is.False, "a failed run writes no JSON");
        });
    }

    [Test]
    public void MissingFilesAreReportedTogether()
    {
        var (code, _, stderr) = Run("--hardware_config", "/nonexistent/hw.yaml", "--model_config", "/nonexistent/model.yaml");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain("/nonexistent/hw.yaml"));
            Assert.That(stderr, Does.Contain("/nonexistent/model.yaml"));
        });
    }

    [Test]
    public void UnknownAndMissingFlagsExitWithTwo()
    {
        var (code, _, stderr) = Run("--hardware", "x.yaml");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain("Unknown option '--hardware'"));
            Assert.That(stderr, Does.Contain("--model_config"));
        });
    }

    [Test]
    public void KebabCaseFlagsAreAccepted()
    {
        var (code, stdout, stderr) = Run(
            "--hardware-config", OracleCases.CaseFile("g_gemm_fwd_only_h100", "hw.head.yaml"),
            "--model-config", OracleCases.CaseFile("g_gemm_fwd_only_h100", "model.head.yaml"),
            "--output-dir", Path.Combine(_workDirectory, "out"));
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("Total time: 0.0001941140064489646"));
    }
}

public class RunPerfHelpTests
{
    [TestCase("--help")]
    [TestCase("-h")]
    public void HelpPrintsUsageAndExitsZero(string flag)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = RunPerfCli.Run([flag], stdout, stderr);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(stdout.ToString(), Does.Contain("--hardware_config FILE"));
            Assert.That(stdout.ToString(), Does.Contain("RAPID_ASTRA_SIM_BIN"));
            Assert.That(stderr.ToString(), Is.Empty);
        });
    }
}
