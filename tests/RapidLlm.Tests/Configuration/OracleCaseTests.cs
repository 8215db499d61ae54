using RapidLlm.Configuration;
using RapidLlm.Network;

namespace RapidLlm.Tests.Configuration;

/// <summary>Oracle cases: bad inputs are rejected naming the field; seed and newest-schema files normalise to equal records.</summary>
public class OracleCaseTests
{
    [TestCase("e_bad_model_type", "model.yaml", "model_param.model_type")]
    [TestCase("e_bad_model_type", "model.head.yaml", "model_param.model_type")]
    [TestCase("e_flash_without_tile", "model.yaml", "model_param.attention.attention_tile_size")]
    [TestCase("e_flash_without_tile", "model.head.yaml", "model_param.attention.attention_tile_size")]
    [TestCase("e_gqa_kvheads_not_divisor", "model.yaml", "model_param.attention.kv_heads")]
    [TestCase("e_gqa_kvheads_not_divisor", "model.head.yaml", "model_param.attention.kv_heads")]
    [TestCase("e_mla_attention", "model.yaml", "model_param.attention.attention_type")]
    [TestCase("e_mla_attention", "model.head.yaml", "model_param.attention.kv_lora_rank")]
    [TestCase("e_topk_gt_experts", "model.yaml", "model_param.top_k")]
    [TestCase("e_topk_gt_experts", "model.head.yaml", "model_param.moe.top_k")]
    public void ModelCaseIsRejected(string caseId, string file, string path)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ModelConfig.LoadYaml(TestData.Oracle(caseId, file)));
        Assert.That(ex!.Errors.Select(e => e.YamlPath), Does.Contain(path), ex.Message);
    }

    [Test]
    public void MasterWithoutMixedPrecisionIsRejected()
    {
        var ex = Assert.Throws<ConfigurationException>(() => HardwareConfig.LoadYaml(TestData.Oracle("e_master_without_mixed", "hw.yaml")));
        Assert.That(ex!.Message, Does.Contain("sw_param.precision.param_storage_mode").And.Contain("requires mixed_precision"));
    }

    [TestCase("hw.yaml", "model.yaml")]
    [TestCase("hw.head.yaml", "model.head.yaml")]
    public void BatchNotDivisibleByDpIsRejected(string hw, string model)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigValidator.Validate(
            HardwareConfig.LoadYaml(TestData.Oracle("e_batch_not_div_dp", hw)), ModelConfig.LoadYaml(TestData.Oracle("e_batch_not_div_dp", model))));
        Assert.That(ex!.Errors.Select(e => e.YamlPath), Does.Contain("model_param.global_batch_size"), ex.Message);
    }

    [TestCase("i_gpt_llminf_a100_tp4")]
    [TestCase("i_l27b_a100_dp4")]
    [TestCase("t_l27b_a100x3_hybrid")]
    [TestCase("t_l27b_a100_mixed_master")]
    [TestCase("t_l27b_a100_mixed_fp32params")]
    [TestCase("q_netdim_int_size_ignored")]
    [TestCase("t_l27b_a100_1gpu_gqa8")]
    [TestCase("g_gemm_dp2_fwdbwd")]
    public void SeedAndNewestSchemaNormaliseToEqualRecords(string caseId)
    {
        var seedHw = HardwareConfig.LoadYaml(TestData.Oracle(caseId, "hw.yaml"));
        var headHw = HardwareConfig.LoadYaml(TestData.Oracle(caseId, "hw.head.yaml"));
        var seedModel = ModelConfig.LoadYaml(TestData.Oracle(caseId, "model.yaml"));
        var headModel = ModelConfig.LoadYaml(TestData.Oracle(caseId, "model.head.yaml"));
        Assert.That(seedHw.Schema, Is.EqualTo(SchemaVersion.Legacy));
        Assert.That(headHw.Schema, Is.EqualTo(SchemaVersion.Current));

        var seedRun = ConfigValidator.Validate(seedHw, seedModel);
        var headRun = ConfigValidator.Validate(headHw, headModel);
        Assert.That(seedRun.Model, Is.EqualTo(headRun.Model));

        // The seed has one dp for both run types; the newest schema splits it, so compare the half the run uses.
        var seed = seedRun.Hardware;
        var head = headRun.Hardware;
        var used = seedRun.Model.RunType == RunType.Inference
            ? seed with { Parallelism = seed.Parallelism with { Train = head.Parallelism.Train } }
            : seed with { Parallelism = seed.Parallelism with { Inference = head.Parallelism.Inference } };
        Assert.That(used with { Network = used.Network with { Dimensions = head.Network.Dimensions } }, Is.EqualTo(head));
        // Parse-time sizes use training axes; compare the sizes the run actually uses.
        Assert.That(used.Network.Dimensions.Select(d => d with { SizeSpec = DimensionSizeSpec.Auto, Size = 0 }),
            Is.EqualTo(head.Network.Dimensions.Select(d => d with { SizeSpec = DimensionSizeSpec.Auto, Size = 0 })));
        var runType = seedRun.Model.RunType;
        Assert.That(RapidLlm.Network.NetworkResolution.Resolve(used, runType).Dimensions.Select(d => d.Size),
            Is.EqualTo(RapidLlm.Network.NetworkResolution.Resolve(head, runType).Dimensions.Select(d => d.Size)));
    }
}
