using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Operations;

namespace RapidLlm.Tests.Moe;

/// <summary>The DeepSeek and GLM presets describe the published shapes and turn into MoE/MLA workloads.</summary>
public sealed class MoePresetTests
{
    private static TransformerConfig Model(string file) =>
        ModelConfig.FromYaml(Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", "model-config", file)).Transformer!;

    [Test]
    public void DeepSeekV3HasLatentAttentionAndThreeDenseLayers()
    {
        var m = Model("DeepSeekV3.yaml");
        var mla = WorkloadFactory.MlaOf(m)!;
        Assert.Multiple(() =>
        {
            Assert.That(m.ModelType, Is.EqualTo(ModelType.DeepSeekV3));
            Assert.That((mla.QLoraRank, mla.KvLoraRank, mla.QkNopeHeadDim, mla.QkRopeHeadDim, mla.VHeadDim), Is.EqualTo((1536L, 512L, 128L, 64L, 128L)));
            Assert.That(m.MoeLayerMask.Take(4), Is.EqualTo(new[] { false, false, false, true }));
            Assert.That(m.NumMoeLayers, Is.EqualTo(58));
            Assert.That((m.Moe.NumExperts, m.Moe.TopK, m.Moe.MoeIntermediateSize, m.Moe.SharedExperts), Is.EqualTo((256, 8, 2048, 1)));
            // 512 latent + 64 rotary values per token and layer.
            Assert.That(mla.LatentCacheBytesPerToken(2), Is.EqualTo(1152));
        });
    }

    [TestCase("GLM_4.5_AIR_106B.yaml", 128, 1408, 46, 1)]
    [TestCase("GLM4.7_358B.yaml", 160, 1536, 92, 3)]
    [TestCase("GLM4.7_358B_inf.yaml", 160, 1536, 92, 3)]
    public void GlmPresetsUseAnExplicitHeadDim(string file, int experts, int expertWidth, int layers, int denseLayers)
    {
        var m = Model(file);
        Assert.Multiple(() =>
        {
            Assert.That(m.ModelType, Is.EqualTo(ModelType.Glm4Moe));
            Assert.That(m.HeadDim, Is.EqualTo(128));
            Assert.That(m.HeadDim * m.Attention.NumHeads, Is.Not.EqualTo(m.HiddenDim));
            Assert.That((m.Moe.NumExperts, m.Moe.MoeIntermediateSize, m.NumLayers), Is.EqualTo((experts, expertWidth, layers)));
            Assert.That(m.NumLayers - m.NumMoeLayers, Is.EqualTo(denseLayers));
        });
    }

    [Test]
    public void InferenceMoeSpecRoutesOverTpTimesMoeDpWithoutTpSharding()
    {
        var run = ConfigValidator.Validate(
            HardwareConfig.LoadYaml(Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", "hardware-config", "a100_80GB.yaml")),
            ModelConfig.LoadYaml(Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", "model-config", "GLM_4.5_AIR_106B_inf.yaml")));
        var spec = WorkloadFactory.CreateMoe(run.Hardware, run.Model.Transformer!, RunPhase.Decode)!;
        var par = run.Hardware.Parallelism;
        Assert.Multiple(() =>
        {
            Assert.That(spec.RoutingGroup, Is.EqualTo(par.Tp * par.Inference.MoeDp));
            Assert.That(spec.TensorShardedExperts, Is.False);
            Assert.That(spec.AllowPadding, Is.True);
        });
    }
}
