using RapidLlm.Configuration;

namespace RapidLlm.Tests.Configuration;

/// <summary>Shapes the reference runs silently although they do not map onto the devices get a warning.</summary>
public class ShapeWarningTests
{
    private static HardwareConfig A100 => HardwareConfig.FromYaml(Path.Combine(TestData.Root, "..", "configs", "hardware-config", "a100_80GB.yaml"));

    private static TransformerConfig Llama7B =>
        ModelConfig.FromYaml(Path.Combine(TestData.Root, "..", "configs", "model-config", "Llama2-7B.yaml")).Transformer! with { GlobalBatchSize = 8, GradientAccumulationSteps = 1 };

    private static IReadOnlyList<ConfigDiagnostic> Warnings(HardwareConfig hw, TransformerConfig model) =>
        ConfigValidator.Validate(hw, new ModelConfig(ModelMode.Llm, model, null)).Warnings.ToList();

    [Test]
    public void TensorParallelismThatDoesNotDivideTheHeadsWarns()
    {
        var hw = A100 with { Parallelism = A100.Parallelism with { Tp = 3 } };
        var warnings = Warnings(hw, Llama7B);
        Assert.That(warnings, Has.Exactly(1).Matches<ConfigDiagnostic>(w => w.YamlPath == "parallelism.tp" && w.Message.Contains("num_heads (32)")));
    }

    [Test]
    public void MorePipelineStagesThanLayersWarns()
    {
        var hw = A100 with { Parallelism = A100.Parallelism with { Pp = 4 } };
        var warnings = Warnings(hw, Llama7B with { NumLayers = 2 });
        Assert.That(warnings, Has.Exactly(1).Matches<ConfigDiagnostic>(w => w.YamlPath == "parallelism.pp" && w.Message.Contains("2 pipeline stage(s) hold no transformer layer")));
    }

    [Test]
    public void DivisibleShapesDoNotWarn() =>
        Assert.That(Warnings(A100, Llama7B).Where(w => w.YamlPath is "parallelism.tp" or "parallelism.pp" or "parallelism.cp"), Is.Empty);
}

/// <summary>The AstraSim binary can be named in the hardware file under the contract's key or its synonym.</summary>
public class AstraBinaryKeyTests
{
    [TestCase("binary")]
    [TestCase("binary_path")]
    public void BinaryKeyIsRead(string key)
    {
        var path = Path.Combine(TestData.Root, "..", "configs", "hardware-config", "a100_80GB.yaml");
        var yaml = File.ReadAllText(path).Replace("execution_backend:\n  model: analytical", $"execution_backend:\n  model: astra\n  astra:\n    mode: hybrid\n    {key}: /opt/astra/bin", StringComparison.Ordinal);
        var hw = HardwareConfig.FromYamlText(yaml, "a100.yaml");
        Assert.That(hw.ExecutionBackend.Astra!.BinaryPath, Is.EqualTo("/opt/astra/bin"));
    }
}

/// <summary>Problems found by checking the two files against each other still point at a line and column.</summary>
public class CrossFilePositionTests
{
    [Test]
    public void CrossFileErrorsCarryTheLineOfTheOffendingValue()
    {
        var e = Assert.Throws<ConfigurationException>(() => ConfigValidator.Validate(
            HardwareConfig.LoadYaml(TestData.Oracle("e_batch_not_div_dp", "hw.head.yaml")),
            ModelConfig.LoadYaml(TestData.Oracle("e_batch_not_div_dp", "model.head.yaml"))))!;
        var problem = e.Problems.Single();
        Assert.Multiple(() =>
        {
            Assert.That(problem.YamlPath, Is.EqualTo("model_param.global_batch_size"));
            Assert.That((problem.Line, problem.Column), Is.EqualTo((6, 22)));
            Assert.That(e.Message, Does.Contain("model.head.yaml:6:22: error at model_param.global_batch_size (value '30')"));
        });
    }

    [Test]
    public void SeedSpellingsAreLocatedToo()
    {
        var hwPath = TestData.Oracle("t_l27b_a100_dp2_pp2_mb4_everymb", "hw.yaml");
        var modelPath = TestData.Oracle("t_l27b_a100_dp2_pp2_mb4_everymb", "model.yaml");
        var hw = HardwareConfig.LoadYaml(hwPath);
        var model = ModelConfig.LoadYaml(modelPath);
        // Two layers on two stages is fine; one layer on two stages warns at the seed file's `lp` line.
        var oneLayer = model with { Value = model.Value with { Transformer = model.Value.Transformer! with { NumLayers = 1 } } };
        var warning = ConfigValidator.Validate(hw, oneLayer).Warnings.Single(w => w.YamlPath == "parallelism.pp");
        var lpLine = File.ReadAllLines(hwPath).Select((text, i) => (text, i)).First(l => l.text.Contains("lp:", StringComparison.Ordinal)).i + 1;
        Assert.That(warning.Line, Is.EqualTo(lpLine));
    }
}
