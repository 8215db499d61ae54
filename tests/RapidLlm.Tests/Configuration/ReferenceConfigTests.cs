using RapidLlm.Configuration;

namespace RapidLlm.Tests.Configuration;

public class ReferenceConfigTests
{
    /// <summary>Files the reference itself rejects (SuperPOD leaf-size and 2-D shape mismatches) and the reason we must give.</summary>
    private static readonly Dictionary<string, string> Rejected = new(StringComparer.Ordinal)
    {
        ["head/configs/hardware-config/a100_80GB_superpod.yaml"] = "SuperPOD size mismatch",
        ["head/validation_scripts/validation_configs/hardware-config/H100_SXM5_80GB_2d.yaml"] = "2-D size mismatch",
        ["head/validation_scripts/validation_configs/hardware-config/a100_80GB_para_sweep.yaml"] = "SuperPOD size mismatch",
        ["head/validation_scripts/validation_configs/hardware-config/a100_80GB_train_validation.yaml"] = "SuperPOD size mismatch",
    };

    private static bool IsRejected(string file, out string reason)
    {
        if (Rejected.TryGetValue(file, out reason!)) return true;
        reason = "SuperPOD size mismatch";
        return file.Contains("/A100_SXM4_80GB_", StringComparison.Ordinal) && file.StartsWith("head/", StringComparison.Ordinal);
    }

    private static IEnumerable<TestCaseData> Files() => TestData.ReferenceYamls().Select(f => new TestCaseData(f).SetName("Reference " + f));

    [TestCaseSource(nameof(Files))]
    public void LoadsOrIsRejectedLikeTheReference(string file)
    {
        var path = Path.Combine(TestData.Configs, file);
        if (file.Contains("hardware-config", StringComparison.Ordinal))
        {
            if (IsRejected(file, out var reason))
            {
                var ex = Assert.Throws<ConfigurationException>(() => HardwareConfig.LoadYaml(path));
                Assert.That(ex!.Message, Does.Contain(reason).And.Contain("network.dimensions["));
                return;
            }
            var result = HardwareConfig.LoadYaml(path);
            Assert.That(result.Schema, Is.EqualTo(file.StartsWith("seed/", StringComparison.Ordinal) ? SchemaVersion.Legacy : SchemaVersion.Current));
            Assert.That(result.Warnings.Count, Is.Zero, string.Join("\n", result.Warnings));
        }
        else
        {
            var result = ModelConfig.LoadYaml(path);
            // The only warning shipped model files earn: a kv_heads value that MHA ignores.
            Assert.That(result.Warnings.Select(w => w.YamlPath), Is.All.EqualTo("model_param.attention.kv_heads"), string.Join("\n", result.Warnings));
            Assert.That(result.Value.Transformer is not null || result.Value.Gemm is not null);
        }
    }

    [Test]
    public void TwelveHeadHardwareFilesAreRejected() =>
        Assert.That(TestData.ReferenceYamls().Count(f => f.Contains("hardware-config", StringComparison.Ordinal) && IsRejected(f, out _)), Is.EqualTo(12));
}
