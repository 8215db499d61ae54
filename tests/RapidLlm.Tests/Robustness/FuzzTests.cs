using RapidLlm.Tests.Configuration;

namespace RapidLlm.Tests.Robustness;

/// <summary>
/// RunPerf keeps its promise on mutated configs: every one of 2 000 seeded mutations of the shipped and reference
/// config pairs ends in exit 2 with errors that name the file and a YAML path, or in a result whose figures are all
/// finite and positive; never another exit code, an exception, a NaN or a hang. Run in process through the command's
/// entry point. A failure lists the cases (seed and index reproduce each one) and what was mutated.
/// </summary>
[NonParallelizable]
public sealed class FuzzTests
{
    private const int Seed = 19;
    private const int Cases = 2000;
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(60);

    // Small and medium models of every kind (dense, GQA, MoE, MLA, GEMM; training and inference) on each device.
    private static readonly string[] ShippedModels =
        ["Llama2-7B.yaml", "Llama2-7B_inf.yaml", "Llama3.1-8B_inf.yaml", "GEMM.yaml", "GPT.yaml", "DeepSeekMOE.yaml", "GLM_4.5_AIR_106B_inf.yaml", "DeepSeekV3_inf.yaml", "ViT-B16_inf.yaml", "DINOv3-ViT7B16.yaml"];

    private static readonly (string Hardware, string Model)[] ReferencePairs =
    [
        ("head/configs/hardware-config/a100_80GB.yaml", "head/configs/model-config/LLM.yaml"),
        ("head/configs/hardware-config/a100_80GB.yaml", "head/configs/model-config/LLM_inf.yaml"),
        ("head/configs/hardware-config/a100_80GB_no_parallelism.yaml", "head/configs/model-config/Llama2-7B_inf.yaml"),
        ("head/configs/hardware-config/a100_80GB_no_parallelism.yaml", "head/configs/model-config/GEMM.yaml"),
        ("head/configs/hardware-config/a100_80GB.yaml", "head/configs/model-config/DeepSeekV3.yaml"),
        ("head/configs/hardware-config/a100_80GB_moe.yaml", "head/configs/model-config/GLM_4.5_AIR_106B_inf.yaml"),
        ("head/configs/hardware-config/H100_SXM5_80GB_superpod.yaml", "head/configs/model-config/Llama2-7B.yaml"),
        ("head/configs/hardware-config/H100_SXM5_80GB.yaml", "head/configs/model-config/LLM.yaml"),
        ("seed/configs/hardware-config/a100_80GB_no_parallelism.yaml", "seed/configs/model-config/Llama2-70B_inf.yaml"),
        ("seed/configs/hardware-config/H100_SXM5_80GB.yaml", "seed/configs/model-config/Llama2-7B.yaml"),
        ("seed/configs/hardware-config/a100_80GB.yaml", "seed/configs/model-config/LLM.yaml"),
        ("seed/configs/hardware-config/v100.yaml", "seed/configs/model-config/GEMM.yaml"),
    ];

    private string _work = "";

    [SetUp]
    public void CreateWorkFolder() => _work = Directory.CreateTempSubdirectory("rapidllm-fuzz-").FullName;

    [TearDown]
    public void RemoveWorkFolder()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    [Test]
    public void Mutated_configs_end_in_a_clear_rejection_or_a_finite_positive_result()
    {
        var pairs = BasePairs();
        Assert.That(pairs, Has.Count.GreaterThanOrEqualTo(20), "the base pairs run unmutated (else the fuzz test tests nothing)");

        var defects = new List<string>();
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < Cases && defects.Count < 20; i++)
        {
            var (hardware, model, description) = FuzzCases.Write(Seed, i, pairs, _work);
            var outcome = Classify(hardware, model, out var detail);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (outcome is not (RunPerfOutcome.Accepted or RunPerfOutcome.Rejected))
                defects.Add($"{description}\n    => {outcome}\n    {detail.Split('\n').FirstOrDefault(l => l.Length > 0)}");
        }

        TestContext.Out.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        Assert.Multiple(() =>
        {
            Assert.That(defects, Is.Empty, string.Join("\n", defects));
            // Both outcomes must be exercised: mutations that stay valid reach the model's math.
            Assert.That(outcomes.GetValueOrDefault(RunPerfOutcome.Accepted), Is.GreaterThan(Cases / 20));
            Assert.That(outcomes.GetValueOrDefault(RunPerfOutcome.Rejected), Is.GreaterThan(Cases / 2));
        });
    }

    private string Classify(string hardware, string model, out string detail)
    {
        string? caseDetail = null;
        var run = Task.Run(() => RunPerfOutcome.Classify(hardware, model, _work, out caseDetail));
        if (!run.Wait(CaseLimit))
        {
            detail = "";
            return $"hang: no answer within {CaseLimit.TotalSeconds} s";
        }

        detail = caseDetail ?? "";
        return run.Result;
    }

    /// <summary>The pairs that run unmutated (shipped files may change; the fuzz test follows them).</summary>
    private List<(string Hardware, string Model)> BasePairs()
    {
        var root = TestContext.CurrentContext.TestDirectory;
        var candidates = new List<(string, string)>();
        foreach (var hardware in Directory.EnumerateFiles(Path.Combine(root, "configs", "hardware-config"), "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var model in ShippedModels)
            {
                var path = Path.Combine(root, "configs", "model-config", model);
                if (File.Exists(path)) candidates.Add((hardware, path));
            }
        }

        candidates.AddRange(ReferencePairs.Select(p => (Path.Combine(TestData.Configs, p.Hardware), Path.Combine(TestData.Configs, p.Model))));
        return candidates.Where(p => RunPerfOutcome.Classify(p.Item1, p.Item2, _work, out _) == RunPerfOutcome.Accepted).ToList();
    }
}
