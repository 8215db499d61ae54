using RapidLlm.Configuration;

namespace RapidLlm.Tests.Configuration;

/// <summary>Each bad input is rejected with a message naming the YAML path, the value and the position.</summary>
public class BadInputTests
{
    internal const string Hardware = """
        sw_param:
          kernel_launch_overhead: 9e-6
          dp_zero_stage: 1
          full_recomputation: false
          dp_microbatch: last_mb
          precision:
            tensor_format: bf16
            kv_cache: as_tensor_format
            parameters: as_tensor_format
            gradients: fp32
            master_parameters: 0.0
        tech_param:
          core:
            operating_frequency: 1.41e9
            num_bundles: 108
            nominal_flop_rate_per_mcu: 512
            nominal_energy_per_flop: 1.8e-13
            num_mcu_per_bundle: 4
            FMA_d1: 8
            FMA_d2: 4
            dataflow: best
            util: 1
          DRAM: {size: 80 GB, bandwidth: 1986 GB, dynamic_energy_per_bit: 4.5e-12, latency: 100e-9, util: 1.0}
          SRAM-L2: {size: 40 MB, bandwidth: 7050 GB, dynamic_energy_per_bit: 130e-15, latency: 0, util: 1}
          SRAM-L1: {size: 20736 KB, bandwidth: 18 TB, dynamic_energy_per_bit: 130e-15, latency: 0, util: 1}
          SRAM-R: {size: 27 MB, bandwidth: 122 TB, dynamic_energy_per_bit: 110e-15, latency: 0, util: 1}
        memory_hierarchy:
          l0: {type: SRAM-R, scope: mcu}
          l1: {type: SRAM-L1, scope: mcu-bundle}
          l2: {type: SRAM-L2, scope: global}
          l3: {type: DRAM, scope: global}
        parallelism:
          tp: 2
          tp_sp: true
          cp: 1
          pp: 2
          mb: 2
          train: {dp: 2, ep: 1, tp_ep: true}
          inference: {replica_count: 1, moe_dp: 1}
        network:
          overlap: {tp_overlap: 0.0, tp_sp_overlap: 0.0, cp_overlap: 0.0}
          dimensions:
            - id: dim0
              size: auto
              topology: {type: Ring, bandwidth: 50 GB, latency: 5e-6, energy_per_bit: 8e-12, util: 1.0}
              parallelisms: [tp, cp, ep]
            - id: dim1
              size: auto
              topology: {type: Ring, bandwidth: 400 Gb, latency: 5e-6, energy_per_bit: 8e-12}
              parallelisms: [pp, dp]
        execution_backend:
          model: analytical
        """;

    internal const string Model = """
        model_param:
          mode: LLM
          run_type: training
          tied_embeddings: false
          model_type: llama
          global_batch_size: 32
          gradient_accumulation_steps: 1
          seq_len: 2048
          hidden_dim: 4096
          attention:
            attention_type: gqa
            num_heads: 32
            kv_heads: 8
            use_flashattention: true
            attention_tile_size: 128
          moe: {num_experts: 1, top_k: 1, moe_intermediate_size: 11008}
          intermediate_size: 11008
          vocab_size: 32000
          num_layers: 32
        """;

    private static string Replace(string text, string find, string replacement)
    {
        Assert.That(text, Does.Contain(find), "test setup: pattern not found");
        return text.Replace(find, replacement, StringComparison.Ordinal);
    }

    [Test]
    public void BaseFilesLoad()
    {
        Assert.That(HardwareConfig.LoadYamlText(Hardware).Warnings.Count, Is.Zero);
        Assert.That(ModelConfig.LoadYamlText(Model).Warnings.Count, Is.Zero);
        Assert.DoesNotThrow(() => ConfigValidator.Validate(HardwareConfig.FromYamlText(Hardware), ModelConfig.FromYamlText(Model)));
    }

    [TestCase("kernel_launch_overhead: 9e-6", "kernel_launch_overhead: fast", "sw_param.kernel_launch_overhead", "fast", TestName = "Bad: overhead not a number")]
    [TestCase("kernel_launch_overhead: 9e-6", "kernel_launch_overhead: -1", "sw_param.kernel_launch_overhead", "-1", TestName = "Bad: negative overhead")]
    [TestCase("dp_zero_stage: 1", "dp_zero_stage: 4", "sw_param.dp_zero_stage", "4", TestName = "Bad: ZeRO stage 4")]
    [TestCase("dp_microbatch: last_mb", "dp_microbatch: last_micro", "sw_param.dp_microbatch", "last_micro", TestName = "Bad: dp_microbatch name")]
    [TestCase("full_recomputation: false", "full_recomputation: maybe", "sw_param.full_recomputation", "maybe", TestName = "Bad: boolean")]
    [TestCase("tensor_format: bf16", "tensor_format: bf61", "sw_param.precision.tensor_format", "bf61", TestName = "Bad: dtype name")]
    [TestCase("gradients: fp32", "gradients: 0", "sw_param.precision.gradients", "0", TestName = "Bad: zero-byte precision")]
    [TestCase("master_parameters: 0.0", "master_parameters: as_tensor_format", "sw_param.precision.master_parameters", "as_tensor_format", TestName = "Bad: master as_tensor_format")]
    [TestCase("operating_frequency: 1.41e9", "operating_frequency: 1.41 GHz", "tech_param.core.operating_frequency", "1.41 GHz", TestName = "Bad: frequency with unit")]
    [TestCase("dataflow: best", "dataflow: fastest", "tech_param.core.dataflow", "fastest", TestName = "Bad: dataflow")]
    [TestCase("FMA_d1: 8", "FMA_d1: 0", "tech_param.core.FMA_d1", "0", TestName = "Bad: FMA dimension 0")]
    [TestCase("num_bundles: 108", "num_bundles: 10.5", "tech_param.core.num_bundles", "10.5", TestName = "Bad: fractional bundles")]
    [TestCase("size: 80 GB", "size: 80 gb", "tech_param.DRAM.size", "80 gb", TestName = "Bad: lowercase unit prefix")]
    [TestCase("bandwidth: 1986 GB", "bandwidth: 1986 GiB", "tech_param.DRAM.bandwidth", "1986 GiB", TestName = "Bad: GiB unit")]
    [TestCase("util: 1.0}\n  SRAM-L2", "util: 0}\n  SRAM-L2", "tech_param.DRAM.util", "0", TestName = "Bad: zero util")]
    [TestCase("{type: SRAM-L1, scope: mcu-bundle}", "{type: SRAM-L1, scope: sm}", "memory_hierarchy.l1.scope", "sm", TestName = "Bad: memory scope")]
    [TestCase("{type: SRAM-R, scope: mcu}", "{type: SRAM-X, scope: mcu}", "memory_hierarchy.l0.type", "SRAM-X", TestName = "Bad: memory type")]
    [TestCase("  tp: 2\n", "  tp: 0\n", "parallelism.tp", "0", TestName = "Bad: tp zero")]
    [TestCase("train: {dp: 2, ep: 1, tp_ep: true}", "train: {dp: two, ep: 1, tp_ep: true}", "parallelism.train.dp", "two", TestName = "Bad: dp text")]
    [TestCase("inference: {replica_count: 1, moe_dp: 1}", "inference: {replica_count: 1}", "parallelism.inference.moe_dp", null, TestName = "Bad: missing moe_dp")]
    [TestCase("tp_overlap: 0.0", "tp_overlap: 1.5", "network.overlap.tp_overlap", "1.5", TestName = "Bad: overlap above 1")]
    [TestCase("bandwidth: 400 Gb", "bandwidth: 400 Xb", "network.dimensions[1].topology.bandwidth", "400 Xb", TestName = "Bad: bandwidth unit")]
    [TestCase("{type: Ring, bandwidth: 400 Gb", "{type: Torus2D, bandwidth: 400 Gb", "network.dimensions[1].topology.type", "Torus2D", TestName = "Bad: 2-D topology on dimension 1")]
    [TestCase("{type: Ring, bandwidth: 50 GB", "{type: Rnig, bandwidth: 50 GB", "network.dimensions[0].topology.type", "Rnig", TestName = "Bad: topology name")]
    [TestCase("{type: Ring, bandwidth: 50 GB", "{type: FullyConnected, bandwidth: 50 GB", "network.dimensions[0].topology.type", "FullyConnected", TestName = "Bad: non-ring in analytical mode")]
    [TestCase("parallelisms: [pp, dp]", "parallelisms: [pp, dp, tp]", "network.dimensions[1].parallelisms", null, TestName = "Bad: axis in two dimensions")]
    [TestCase("parallelisms: [pp, dp]", "parallelisms: [lp, dp]", "network.dimensions[1].parallelisms[0]", "lp", TestName = "Bad: lp in newest schema")]
    [TestCase("      size: auto\n      topology: {type: Ring, bandwidth: 50 GB", "      size: [4, 4]\n      topology: {type: Ring, bandwidth: 50 GB", "network.dimensions[0].size", "[4, 4]", TestName = "Bad: 2-D size mismatch")]
    [TestCase("model: analytical", "model: simulator", "execution_backend.model", "simulator", TestName = "Bad: backend name")]
    [TestCase("latency: 5e-6, energy_per_bit: 8e-12, util: 1.0}", "latency: 5e-6, energy_per_bit: -8e-12, util: 1.0}", "network.dimensions[0].topology.energy_per_bit", "-8e-12", TestName = "Bad: negative energy")]
    public void HardwareProblemIsReported(string find, string replacement, string path, string? value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => HardwareConfig.FromYamlText(Replace(Hardware, find, replacement), "hw.yaml"));
        var problem = ex!.Errors.FirstOrDefault(p => p.YamlPath == path);
        Assert.That(problem, Is.Not.Null, ex.Message);
        Assert.That(ex.Message, Does.Contain("hw.yaml:").And.Contain(path));
        Assert.That(problem!.Line, Is.GreaterThan(0), ex.Message);
        if (value is not null) Assert.That(problem.Value, Is.EqualTo(value), ex.Message);
    }

    [TestCase("model_type: llama", "model_type: lama", "model_param.model_type", "lama", TestName = "Bad: model type")]
    [TestCase("run_type: training", "run_type: serving", "model_param.run_type", "serving", TestName = "Bad: run type")]
    [TestCase("kv_heads: 8", "kv_heads: 5", "model_param.attention.kv_heads", "5", TestName = "Bad: kv_heads not a divisor")]
    [TestCase("attention_tile_size: 128", "attention_tile_size: null", "model_param.attention.attention_tile_size", null, TestName = "Bad: flash without tile")]
    [TestCase("attention_type: gqa", "attention_type: mla", "model_param.attention.kv_lora_rank", null, TestName = "Bad: mla without ranks")]
    [TestCase("hidden_dim: 4096", "hidden_dim: 4100", "model_param.hidden_dim", "4100", TestName = "Bad: hidden not divisible by heads")]
    [TestCase("moe: {num_experts: 1, top_k: 1,", "moe: {num_experts: 4, top_k: 8,", "model_param.moe.top_k", "8", TestName = "Bad: top_k above experts")]
    [TestCase("seq_len: 2048", "seq_len: 2048\n  seq_len: 4096", "model_param.seq_len", null, TestName = "Bad: duplicate key")]
    [TestCase("vocab_size: 32000", "vocab_sise: 32000", "model_param.vocab_sise", null, TestName = "Bad: misspelt key")]
    [TestCase("global_batch_size: 32", "global_batch_size: 0", "model_param.global_batch_size", "0", TestName = "Bad: zero batch")]
    [TestCase("run_type: training", "run_type: inference\n  decode_len: 4096", "model_param.decode_len", "4096", TestName = "Bad: decode longer than context")]
    public void ModelProblemIsReported(string find, string replacement, string path, string? value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ModelConfig.FromYamlText(Replace(Model, find, replacement), "model.yaml"));
        var problem = ex!.Errors.FirstOrDefault(p => p.YamlPath == path);
        Assert.That(problem, Is.Not.Null, ex.Message);
        Assert.That(ex.Message, Does.Contain("model.yaml:").And.Contain(path));
        if (value is not null) Assert.That(problem!.Value, Is.EqualTo(value), ex.Message);
    }

    [Test]
    public void MisspeltKeySuggestsTheKnownOne()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ModelConfig.FromYamlText(Replace(Model, "vocab_size: 32000", "vocab_sise: 32000")));
        Assert.That(ex!.Message, Does.Contain("did you mean 'vocab_size'"));
    }

    [Test]
    public void AllProblemsAreReportedTogether()
    {
        var yaml = Replace(Replace(Replace(Hardware, "dp_zero_stage: 1", "dp_zero_stage: 7"), "bandwidth: 400 Gb", "bandwidth: lots"), "tp_overlap: 0.0", "tp_overlap: 2");
        var ex = Assert.Throws<ConfigurationException>(() => HardwareConfig.FromYamlText(yaml, "hw.yaml"));
        Assert.That(ex!.Errors.Select(e => e.YamlPath), Is.SupersetOf(new[] { "sw_param.dp_zero_stage", "network.dimensions[1].topology.bandwidth", "network.overlap.tp_overlap" }));
        Assert.That(ex.Message, Does.Contain("3 errors"));
    }

    [Test]
    public void IntegerDimensionSizeThatDisagreesIsAWarning()
    {
        var result = HardwareConfig.LoadYamlText(Replace(Hardware, "      size: auto\n      topology: {type: Ring, bandwidth: 50 GB", "      size: 1\n      topology: {type: Ring, bandwidth: 50 GB"));
        Assert.That(result.Value.Network.Dimensions[0].Size, Is.EqualTo(2));
        Assert.That(result.Warnings.Single().YamlPath, Is.EqualTo("network.dimensions[0].size"));
    }

    [TestCase("global_batch_size: 32", "global_batch_size: 30", "model_param.global_batch_size", TestName = "Cross: batch not divisible by dp")]
    [TestCase("gradient_accumulation_steps: 1", "gradient_accumulation_steps: 3", "model_param.global_batch_size", TestName = "Cross: batch not divisible by gas")]
    public void CrossFileProblemIsReported(string find, string replacement, string path)
    {
        var model = ModelConfig.FromYamlText(Replace(Model, find, replacement));
        var ex = Assert.Throws<ConfigurationException>(() => ConfigValidator.Validate(HardwareConfig.FromYamlText(Hardware), model));
        Assert.That(ex!.Errors.Select(e => e.YamlPath), Does.Contain(path));
    }

    [Test]
    public void CrossFileGemmShardingIsChecked()
    {
        var gemm = ModelConfig.FromYamlText("model_param: {mode: GEMM, M: 64, K: 1001, N: 64, backward: false, gemm_shard_axis: row}");
        var ex = Assert.Throws<ConfigurationException>(() => ConfigValidator.Validate(HardwareConfig.FromYamlText(Hardware), gemm));
        Assert.That(ex!.Message, Does.Contain("model_param.K").And.Contain("1001"));
    }

    [Test]
    public void NotYamlIsReportedWithPosition()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ModelConfig.FromYamlText("model_param:\n  mode: [LLM\n", "broken.yaml"));
        Assert.That(ex!.Message, Does.Contain("broken.yaml:").And.Contain("not valid YAML"));
    }

    [Test]
    public void MissingFileIsAConfigurationError() =>
        Assert.Throws<ConfigurationException>(() => HardwareConfig.FromYaml(Path.Combine(TestData.Configs, "no-such-file.yaml")));
}
