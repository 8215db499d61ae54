using RapidLlm.Search;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Search;

public class ModelFlopsTests
{
    // Published parameter counts (Hugging Face model cards / safetensors metadata), with untied LM heads as the models ship.
    [TestCase("Llama-2-7B", 6_738_415_616L)]
    [TestCase("Llama-2-13B", 13_015_864_320L)]
    [TestCase("Llama-3.1-8B", 8_030_261_248L)]
    [TestCase("Llama-3.1-70B", 70_553_706_496L)]
    public void The_parameter_count_is_the_published_one(string name, long published)
    {
        var architecture = name switch
        {
            "Llama-2-7B" => ModelPresets.Llama2_7B,
            "Llama-2-13B" => ModelPresets.Llama2_13B,
            "Llama-3.1-8B" => ModelPresets.Llama3_1_8B,
            _ => ModelPresets.Llama3_1_70B,
        };
        var model = (architecture with { TiedEmbeddings = false }).Training(globalBatch: 1, sequenceLength: 4096).Transformer!;
        Assert.That(ModelFlops.ParameterCount(model), Is.EqualTo(published));
    }

    [Test]
    public void Training_a_token_costs_six_flops_per_matrix_parameter_plus_attention()
    {
        var model = ModelPresets.Llama2_7B.Training(globalBatch: 1, sequenceLength: 4096).Transformer!;
        // 32 layers of 4·4096² attention and 3·4096·11008 MLP weights, and the 32000 × 4096 LM head.
        const double matrix = 32.0 * (4 * 4096.0 * 4096 + 3 * 4096.0 * 11008) + 32000.0 * 4096;
        const double attention = 12.0 * 32 * 32 * 128 * 4096;
        Assert.That(ModelFlops.TrainingFlopsPerToken(model), Is.EqualTo(6 * matrix + attention).Within(1e-12).Percent);
    }

    [Test]
    public void A_candidates_mfu_is_its_model_flops_per_second_over_the_peak()
    {
        var result = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2));
        var best = result.Best!;
        var model = (ModelPresets.Llama2_7B with { NumLayers = 8 }).Training(globalBatch: 4, sequenceLength: 512).Transformer!;
        // A100: 108 SMs × 4 tensor cores × 512 FLOP/cycle × 1.41 GHz = 311.9 TFLOP/s of dense bf16.
        const double peak = 108 * 4 * 512 * 1.41e9;
        var expected = 4.0 * 512 * ModelFlops.TrainingFlopsPerToken(model) / best.TimePerBatchSeconds!.Value / (4 * peak);
        Assert.That(best.ModelFlopsUtilization, Is.EqualTo(expected).Within(1e-9).Percent);
        Assert.That(best.ModelFlopsUtilization, Is.InRange(0.01, 1.0));
        Assert.That(best.ParameterCount, Is.EqualTo(ModelFlops.ParameterCount(model)));
        Assert.That(best.EnergyJoules, Is.GreaterThan(0));
    }
}
