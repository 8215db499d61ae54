using RapidLlm.Configuration;
using RapidLlm.HuggingFace;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Vision;

/// <summary>
/// Hugging Face vision configs (local config.json files written with the real models' dimensions: ViT-B/16 classifier,
/// ViT-L/16 backbone, DINOv3 ViT-7B/16 and ViT-B/16) become ViT models and YAML the reader accepts.
/// </summary>
public class VitHuggingFaceImportTests
{
    private static string Config(string model) => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "huggingface", model, "config.json");

    [TestCase("vit-base-patch16-224", ModelType.Vit, 768, 12, 12, 3072, 224, 16, 1000, 197)]
    [TestCase("vit-large-patch16-224-in21k", ModelType.Vit, 1024, 24, 16, 4096, 224, 16, 0, 197)]
    [TestCase("dinov3-vit7b16-pretrain-lvd1689m", ModelType.VitDinov3, 4096, 40, 32, 8192, 224, 16, 0, 201)]
    [TestCase("dinov3-vitb16-pretrain-lvd1689m", ModelType.Vit, 768, 12, 12, 3072, 224, 16, 0, 201)]
    public void VisionShapesAreImported(string model, ModelType type, int hidden, int layers, int heads, int mlp, int image, int patch, int classes, int tokens)
    {
        var import = HuggingFaceModelImporter.Import(Config(model));
        var m = import.Model;
        var t = m.Transformer!;
        Assert.Multiple(() =>
        {
            Assert.That(m.Mode, Is.EqualTo(ModelMode.Vit));
            Assert.That((t.ModelType, t.HiddenDim, t.NumLayers, t.Attention.NumHeads, t.IntermediateSize), Is.EqualTo((type, hidden, layers, heads, mlp)));
            Assert.That((t.Vision!.ImageHeight, t.Vision.ImageWidth, t.Vision.PatchHeight, t.Vision.PatchWidth), Is.EqualTo((image, image, patch, patch)));
            Assert.That((t.VocabSize, t.SeqLen), Is.EqualTo((classes, tokens)), "classes and tokens (patches + class token + registers)");
            Assert.That(t.Attention.Type, Is.EqualTo(AttentionType.Mha));
            Assert.That(ModelConfig.FromYamlText(import.Yaml), Is.EqualTo(m));
        });
    }

    [Test]
    public void ImportedVitBaseEqualsThePreset()
    {
        var imported = ModelConfig.FromHuggingFaceConfig(Config("vit-base-patch16-224"),
            new HuggingFaceImportOptions { RunType = RunType.Inference, GlobalBatchSize = 8, UseFlashAttention = true, FlashTileSize = 128 });
        Assert.That(Simulation.Inert.Canonical(imported), Is.EqualTo(ModelPresets.VitBase16.Inference(batch: 8)));
    }

    [Test]
    public void ImportedDinov3AtTheTrainingResolutionEqualsThePreset()
    {
        var imported = ModelConfig.FromHuggingFaceConfig(Config("dinov3-vit7b16-pretrain-lvd1689m"),
            new HuggingFaceImportOptions { GlobalBatchSize = 256, ImageSize = 256 });
        Assert.That(Simulation.Inert.Canonical(imported), Is.EqualTo(ModelPresets.Dinov3Vit7B16.Training(globalBatch: 256)));
    }

    [Test]
    public void APlainMlpDinov3KeepsItsRealTokenCountAndSaysSo()
    {
        var import = HuggingFaceModelImporter.Import(Config("dinov3-vitb16-pretrain-lvd1689m"));
        Assert.Multiple(() =>
        {
            Assert.That(import.Model.Transformer!.GatedMlp, Is.False);
            Assert.That(import.Yaml, Does.Contain("seq_len: 201"));
            Assert.That(import.Notes, Has.One.Contains("plain (GELU) MLP maps to model_type 'vit'"));
        });
    }

    [Test]
    public void TheClassCountCanBeChosen()
    {
        var t = ModelConfig.FromHuggingFaceConfig(Config("vit-large-patch16-224-in21k"), new HuggingFaceImportOptions { NumClasses = 21843, ImageSize = 384 }).Transformer!;
        Assert.That((t.VocabSize, t.SeqLen), Is.EqualTo((21843, 24 * 24 + 1)));
    }

    [TestCase("{\"model_type\":\"vit\",\"hidden_size\":768,\"num_hidden_layers\":12,\"num_attention_heads\":12,\"image_size\":224,\"patch_size\":15}", "image_size", "divisible by the patch size 15x15")]
    [TestCase("{\"model_type\":\"vit\",\"hidden_size\":768,\"num_hidden_layers\":12,\"num_attention_heads\":12,\"image_size\":224,\"patch_size\":16,\"num_channels\":1}", "num_channels", "3-channel")]
    [TestCase("{\"model_type\":\"vit\",\"hidden_size\":768,\"num_hidden_layers\":12,\"num_attention_heads\":12,\"image_size\":224}", "patch_size", "missing")]
    [TestCase("{\"model_type\":\"vit\",\"hidden_size\":768,\"num_hidden_layers\":12,\"num_attention_heads\":12,\"image_size\":\"big\",\"patch_size\":16}", "image_size", "[height, width]")]
    public void BadVisionConfigsAreReportedByKey(string json, string key, string message)
    {
        var e = Assert.Throws<ConfigurationException>(() => HuggingFaceModelImporter.ImportJson(json))!;
        Assert.That(e.Problems, Has.Some.Matches<ConfigDiagnostic>(p => p.YamlPath == key && p.Message.Contains(message, StringComparison.Ordinal)));
    }

    [Test]
    public void ADecodeLengthIsRejectedForAVisionModel()
    {
        var e = Assert.Throws<ConfigurationException>(() => HuggingFaceModelImporter.Import(Config("vit-base-patch16-224"),
            new HuggingFaceImportOptions { RunType = RunType.Inference, DecodeLength = 16 }))!;
        Assert.That(e.Problems, Has.Some.Matches<ConfigDiagnostic>(p => p.YamlPath == "decode_len"));
    }

    [Test]
    public void TheCommandWritesAViTYamlThatRunPerfRuns()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = HuggingFaceImportCommand.Run([Config("vit-base-patch16-224"), "--run-type", "inference", "--global-batch-size", "4", "--image-size", "384"], stdout, stderr);
        Assert.That(code, Is.Zero, stderr.ToString());
        var t = ModelConfig.FromYamlText(stdout.ToString()).Transformer!;
        Assert.That((t.GlobalBatchSize, t.Vision!.ImageHeight, t.SeqLen, t.DecodeLen), Is.EqualTo((4, 384, 577, (int?)0)));
    }
}
