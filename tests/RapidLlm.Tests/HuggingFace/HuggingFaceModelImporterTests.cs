using RapidLlm.Configuration;
using RapidLlm.HuggingFace;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.HuggingFace;

/// <summary>Local config.json files (written by us with the real models' dimensions) become RapidLlm models and YAML.</summary>
public class HuggingFaceModelImporterTests
{
    private static string Config(string model) => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "huggingface", model, "config.json");

    [TestCase("llama-2-7b", ModelType.Llama, 4096, 32, 32, 32, 11008, 32000, false, 4096)]
    [TestCase("qwen2.5-3b", ModelType.Llama, 2048, 36, 16, 2, 11008, 151936, true, 32768)]
    [TestCase("mistral-7b-v0.3", ModelType.Llama, 4096, 32, 32, 8, 14336, 32768, false, 32768)]
    [TestCase("gpt2", ModelType.Gpt, 768, 12, 12, 12, 3072, 50257, true, 1024)]
    [TestCase("gpt-neox-20b", ModelType.Gpt, 6144, 44, 64, 64, 24576, 50432, false, 2048)]
    public void DenseShapesAreImported(string model, ModelType type, int hidden, int layers, int heads, int kvHeads, int ffn, int vocab, bool tied, int seqLen)
    {
        var t = ModelConfig.FromHuggingFaceConfig(Config(model)).Transformer!;
        Assert.Multiple(() =>
        {
            Assert.That((t.ModelType, t.HiddenDim, t.NumLayers, t.Attention.NumHeads, t.Attention.KvHeads), Is.EqualTo((type, hidden, layers, heads, kvHeads)));
            Assert.That((t.IntermediateSize, t.VocabSize, t.TiedEmbeddings, t.SeqLen), Is.EqualTo((ffn, vocab, tied, seqLen)));
            Assert.That(t.UsesMoe, Is.False);
            Assert.That(t.Attention.Type, Is.EqualTo(kvHeads == heads ? AttentionType.Mha : AttentionType.Gqa));
        });
    }

    [Test]
    public void ImportedLlamaEqualsThePresetForTheSameRun()
    {
        var options = new HuggingFaceImportOptions { GlobalBatchSize = 1024, SequenceLength = 4096 };
        var imported = ModelConfig.FromHuggingFaceConfig(Config("llama-2-7b"), options);
        var preset = ModelPresets.Llama2_7B.Training(1024, 4096);
        Assert.That(Simulation.Inert.Canonical(imported), Is.EqualTo(preset));
    }

    [TestCase("llama-2-7b", nameof(ModelPresets.Llama2_7B))]
    public void Llama_presets_untie_the_embeddings_as_the_released_checkpoints_do(string model, string preset)
    {
        var architecture = (TransformerArchitecture)typeof(ModelPresets).GetProperty(preset)!.GetValue(null)!;
        Assert.That(architecture.TiedEmbeddings, Is.EqualTo(ModelConfig.FromHuggingFaceConfig(Config(model)).Transformer!.TiedEmbeddings).And.False);
    }

    [Test]
    public void Every_llama_preset_and_shipped_llama_file_unties_the_embeddings()
    {
        var presets = new[] { ModelPresets.Llama2_7B, ModelPresets.Llama2_13B, ModelPresets.Llama2_70B, ModelPresets.Llama3_1_8B, ModelPresets.Llama3_1_70B, ModelPresets.Llama3_1_405B };
        var files = Directory.EnumerateFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", "model-config"), "Llama*.yaml").ToList();
        Assert.That(files, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(presets.Select(p => p.TiedEmbeddings), Has.All.False);
            foreach (var file in files) Assert.That(ModelConfig.FromYaml(file).Transformer!.TiedEmbeddings, Is.False, file);
        });
    }

    [Test]
    public void Flash_attention_without_a_tile_in_the_config_uses_the_builders_default_tile()
    {
        var import = HuggingFaceModelImporter.Import(Config("llama-2-7b"), new HuggingFaceImportOptions { UseFlashAttention = true });
        Assert.Multiple(() =>
        {
            Assert.That(import.Model.Transformer!.Attention.AttentionTileSize, Is.EqualTo(HuggingFaceImportOptions.DefaultFlashTileSize).And.EqualTo(128));
            Assert.That(import.Notes, Has.One.Contains("no FlashAttention tile"));
        });
    }

    [Test]
    public void A_prompt_length_means_what_the_builder_means()
    {
        var options = new HuggingFaceImportOptions { RunType = RunType.Inference, GlobalBatchSize = 8, PromptLength = 2048, DecodeLength = 512, UseFlashAttention = true };
        var imported = ModelConfig.FromHuggingFaceConfig(Config("llama-2-7b"), options);
        var preset = ModelPresets.Llama2_7B.Inference(batch: 8, promptLength: 2048, decodeLength: 512);
        Assert.Multiple(() =>
        {
            Assert.That(imported.Transformer!.SeqLen, Is.EqualTo(2048 + 512));
            Assert.That(Simulation.Inert.Canonical(imported), Is.EqualTo(preset));
        });
    }

    [Test]
    public void A_prompt_length_and_a_sequence_length_together_are_refused()
    {
        var options = new HuggingFaceImportOptions { RunType = RunType.Inference, PromptLength = 2048, SequenceLength = 4096, DecodeLength = 512 };
        var e = Assert.Throws<ConfigurationException>(() => ModelConfig.FromHuggingFaceConfig(Config("llama-2-7b"), options));
        Assert.That(e!.Message, Does.Contain("not both"));
    }

    [Test]
    public void InferenceOptionsFollowTheReferenceTool()
    {
        var import = HuggingFaceModelImporter.Import(Config("qwen2.5-3b"), new HuggingFaceImportOptions
        {
            RunType = RunType.Inference, GlobalBatchSize = 32, SequenceLength = 65536, DecodeLength = 1024, UseFlashAttention = true, FlashTileSize = 256,
        });
        var t = import.Model.Transformer!;
        Assert.Multiple(() =>
        {
            Assert.That((t.RunType, t.GlobalBatchSize, t.SeqLen, t.DecodeLen), Is.EqualTo((RunType.Inference, 32, 65536, (int?)1024)));
            Assert.That((t.Attention.UseFlashAttention, t.Attention.AttentionTileSize), Is.EqualTo((true, (int?)256)));
            Assert.That(import.Notes, Has.One.Contains("'qwen2' to RapidLlm model_type 'llama'"));
            Assert.That(ModelConfig.FromYamlText(import.Yaml), Is.EqualTo(import.Model));
        });
    }

    [Test]
    public void MixtralProducesAMoeBlock()
    {
        var t = ModelConfig.FromHuggingFaceConfig(Config("mixtral-8x7b")).Transformer!;
        Assert.That((t.UsesMoe, t.Moe.NumExperts, t.Moe.TopK, t.Moe.MoeIntermediateSize, t.Moe.FirstKDenseReplace), Is.EqualTo((true, 8, 2, 14336, 0)));
    }

    [Test]
    public void DeepSeekV3ProducesMlaAndItsMoeLayout()
    {
        var import = HuggingFaceModelImporter.Import(Config("deepseek-v3"));
        var t = import.Model.Transformer!;
        Assert.Multiple(() =>
        {
            Assert.That(t.ModelType, Is.EqualTo(ModelType.DeepSeekV3));
            Assert.That((t.Attention.Type, t.Attention.KvLoraRank, t.Attention.QLoraRank, t.Attention.QkNopeHeadDim, t.Attention.QkRopeHeadDim, t.Attention.VHeadDim),
                Is.EqualTo((AttentionType.Mla, (int?)512, (int?)1536, (int?)128, (int?)64, (int?)128)));
            Assert.That((t.Moe.NumExperts, t.Moe.TopK, t.Moe.SharedExperts, t.Moe.MoeIntermediateSize, t.Moe.FirstKDenseReplace, t.NumMoeLayers),
                Is.EqualTo((256, 8, 1, 2048, 3, 58)));
            Assert.That(import.Yaml, Does.Contain("  moe:\n    num_experts: 256\n"));
        });
    }

    [Test]
    public void DenseModelsMarkEveryLayerDenseAsTheReferenceToolDoes() =>
        Assert.That(HuggingFaceModelImporter.Import(Config("llama-2-7b")).Yaml, Does.Contain("first_k_dense_replace: 32\n"));

    [Test]
    public void EveryProblemIsNamed()
    {
        const string json = """{"model_type": "llama", "hidden_size": "wide", "num_attention_heads": 32, "use_flash_attention": true}""";
        var e = Assert.Throws<ConfigurationException>(() => HuggingFaceModelImporter.ImportJson(json, sourceName: "x/config.json"))!;
        Assert.That(e.Errors.Select(d => d.YamlPath), Is.EquivalentTo(new[] { "hidden_size", "num_hidden_layers", "vocab_size" }));
        Assert.That(e.Message, Does.Contain("x/config.json: error at hidden_size (value '\"wide\"'): must be an integer"));
    }

    [TestCase("""{"model_type": "bert"}""", "model_type")]
    [TestCase("""{"model_type": "qwen2", "use_sliding_window": true, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 1, "vocab_size": 8}""", "use_sliding_window")]
    [TestCase("""{"model_type": "mistral", "sliding_window": 4096, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 1, "vocab_size": 8}""", "sliding_window")]
    [TestCase("not json", "")]
    public void UnsupportedInputsAreRefused(string json, string path)
    {
        var e = Assert.Throws<ConfigurationException>(() => HuggingFaceModelImporter.ImportJson(json))!;
        Assert.That(e.Errors.First().YamlPath, Is.EqualTo(path));
    }

    [Test]
    public void TheCommandWritesYamlAndExitsTwoOnBadInput()
    {
        var output = Path.Combine(Path.GetTempPath(), "rapidllm-hf-" + Guid.NewGuid().ToString("N") + ".yaml");
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = HuggingFaceImportCommand.Run(
                [Config("qwen2.5-3b"), "--run-type", "inference", "--global-batch-size", "32", "--seq-len", "65536", "--decode-len", "1024",
                 "--use-flashattention", "true", "--flash-tile-size", "256", "-o", output], stdout, stderr);
            Assert.That(code, Is.Zero, stderr.ToString());
            Assert.That(ModelConfig.FromYaml(output).Transformer!.SeqLen, Is.EqualTo(65536));

            using var err = new StringWriter();
            Assert.That(HuggingFaceImportCommand.Run(["/nonexistent/config.json"], TextWriter.Null, err), Is.EqualTo(2));
            Assert.That(err.ToString(), Does.Contain("cannot read the file").And.Not.Contain("   at "));
            Assert.That(HuggingFaceImportCommand.Run(["--run-type", "serving"], TextWriter.Null, TextWriter.Null), Is.EqualTo(2));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
