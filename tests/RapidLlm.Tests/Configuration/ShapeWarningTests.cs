using RapidLlm.Configuration;

namespace RapidLlm.Tests.Configuration;

/// <summary>Shapes the reference runs silently although they do not map onto the devices get a warning.</summary>
public class ShapeWarningTests
{
    private static HardwareConfig A100 => HardwareConfig.FromYaml(Path.Combine(TestData.Root, "..", "configs", "hardware-config", "a100_80GB.yaml"));

    private static TransformerConfig Llama7B =>
        ModelConfig.FromYaml(Path.Combine(TestData.Root, "..", "configs", "model-config", "Llama2-7B.yaml")).Transformer! with { GlobalBatchSize = 8 };

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
