using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Tests.Simulation;

namespace RapidLlm.Tests.Vision;

/// <summary>The ViT presets equal the shipped model files, and the builder estimates them end to end.</summary>
public class VitPresetAndBuilderTests
{
    private static string Oracle(string id, string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "vit", "oracle", id, file);

    public static IEnumerable<TestCaseData> ShippedFiles()
    {
        yield return new TestCaseData("ViT-B16_inf.yaml", ModelPresets.VitBase16.Inference(batch: 1)).SetName("VitBase16_inference");
        yield return new TestCaseData("DINOv3-ViT7B16.yaml", ModelPresets.Dinov3Vit7B16.Training(globalBatch: 256)).SetName("Dinov3Vit7B16_training");
        yield return new TestCaseData("DINOv3-ViT7B16_inf.yaml", ModelPresets.Dinov3Vit7B16.Inference(batch: 1, flashAttention: false)).SetName("Dinov3Vit7B16_inference");
    }

    [TestCaseSource(nameof(ShippedFiles))]
    public void PresetEqualsTheShippedFile(string file, ModelConfig preset) =>
        Assert.That(preset, Is.EqualTo(Inert.Canonical(ModelConfig.FromYaml(ConfigFiles.Model(file)))));

    [TestCase(224, 197)]
    [TestCase(384, 577)]
    public void TokensArePatchesPlusTheClassToken(int image, int tokens) =>
        Assert.That(ModelPresets.VitBase16.TokensPerImage(image), Is.EqualTo(tokens));

    [Test]
    public void Dinov3CountsFourRegisters() =>
        Assert.That(ModelPresets.Dinov3Vit7B16.TokensPerImage(), Is.EqualTo(16 * 16 + 1 + 4));

    // The reference's own cases, rebuilt in code from the presets on the case's hardware file: same numbers to 1e-9.
    [TestCase("v_base_inf_b32_flash", 0.007243464384445501, 0.20582814514636993)]
    [TestCase("v_7b_inf_tp2", 0.017447452268247322, 6.2618560791015625)]
    public void BuilderInferenceEqualsTheReference(string id, double totalSeconds, double peakGib)
    {
        var model = id == "v_7b_inf_tp2"
            ? ModelPresets.Dinov3Vit7B16.Inference(batch: 1, flashAttention: false)
            : ModelPresets.VitBase16.Inference(batch: 32);
        var e = LlmSimulation.Create().Hardware(Oracle(id, "hw.yaml")).Model(model).Build().EstimateInference();
        Assert.Multiple(() =>
        {
            Assert.That(e.TotalSeconds, Is.EqualTo(totalSeconds).Within(1e-9 * totalSeconds));
            Assert.That(e.Memory!.Report.PeakGib, Is.EqualTo(peakGib).Within(1e-9 * peakGib));
        });
    }

    [Test]
    public void BuilderTrainingEqualsTheReference()
    {
        var e = LlmSimulation.Create().Hardware(Oracle("v_7b_train_tp4_pp2_dp2", "hw.yaml"))
            .Model(ModelPresets.Dinov3Vit7B16.Training(globalBatch: 256))
            .Parallelism(p => p.Tensor(4).Pipeline(2, microBatches: 4).Data(2))
            .Build().EstimateTraining();
        Assert.Multiple(() =>
        {
            Assert.That(e.TimePerBatchSeconds, Is.EqualTo(1.6319754947629916).Within(1e-9 * 1.6319754947629916));
            Assert.That(e.Memory!.Report.PeakGib, Is.EqualTo(56.57423400878906).Within(1e-9 * 56.57423400878906));
        });
    }

    [Test]
    public void LargerImagesCostMoreAndFlashAttentionPaysOff()
    {
        double Seconds(int image, bool flash) => LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB)
            .Model(ModelPresets.VitBase16.Inference(batch: 16, imageSize: image, flashAttention: flash)).Build()
            .EstimateInference(includeMemory: false).TotalSeconds;
        Assert.Multiple(() =>
        {
            Assert.That(Seconds(384, flash: false), Is.GreaterThan(Seconds(224, flash: false)));
            Assert.That(Seconds(512, flash: false), Is.GreaterThan(Seconds(384, flash: false)));
            foreach (var image in new[] { 224, 384, 512 })
                Assert.That(Seconds(image, flash: true), Is.LessThan(Seconds(image, flash: false)), $"{image} px");
        });
    }

    [Test]
    public void TheApiTourExamplesRun()
    {
        // docs/api-tour.md, Presets: the ViT snippets, line for line.
        var vit = LlmSimulation.Create()
            .Hardware(HardwarePresets.H100Sxm80GB)
            .Model(ModelPresets.VitBase16.Inference(batch: 256, imageSize: 384))
            .Parallelism(p => p.Tensor(2))
            .Build();
        var e = vit.EstimateInference();
        var dino = LlmSimulation.Create().Hardware(HardwarePresets.H100Sxm80GB)
            .Model(ModelPresets.Dinov3Vit7B16.Training(globalBatch: 256))
            .Parallelism(p => p.Tensor(4).Pipeline(2, microBatches: 4).Data(2)).Build();
        var table = dino.EstimateTraining().ToMarkdown();
        Assert.Multiple(() =>
        {
            Assert.That(vit.Model.Transformer!.SeqLen, Is.EqualTo(577));
            Assert.That(e.TotalSeconds, Is.GreaterThan(0));
            Assert.That(e.TimeToFirstTokenSeconds, Is.EqualTo(e.TotalSeconds));
            Assert.That(e.Memory!.Report.PeakGib, Is.GreaterThan(0).And.LessThan(80));
            Assert.That(table, Does.Contain("| time per batch |"));
        });
    }

    [Test]
    public void ABadImageSizeInCodeIsReportedLikeAFileError()
    {
        var e = Assert.Throws<ConfigurationException>(() =>
            LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(ModelPresets.VitBase16.Inference(batch: 1, imageSize: 230)).Build())!;
        Assert.That(e.Problems, Has.Some.Matches<ConfigDiagnostic>(p => p.YamlPath == "model_param.vision.image_size" && p.Message.Contains("divisible", StringComparison.Ordinal)));
    }
}
