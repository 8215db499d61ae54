using RapidLlm.Configuration;
using RapidLlm.Search;
using RapidLlm.Simulation;
using RapidLlm.Tests.Configuration;

namespace RapidLlm.Tests.Search;

public class SettingSweepTests
{
    private static string Hardware => Path.Combine(TestData.Configs, "head", "configs", "hardware-config", "a100_80GB.yaml");

    private static string Model => Path.Combine(TestData.Configs, "head", "configs", "model-config", "Llama2-7B.yaml");

    [Test]
    public void A_yaml_sweep_estimates_every_combination_in_grid_order_as_the_edited_files_would()
    {
        var result = SettingSweep.FromYaml(Hardware, Model)
            .Over("model_param.num_layers", 4)
            .Over("model_param.seq_len", 512)
            .Over("model_param.global_batch_size", 4, 8)
            .Over("parallelism.train.dp", 1, 3)
            .Over("sw_param.full_recomputation", false, true)
            .Run(maxDegreeOfParallelism: 2);

        Assert.That(result.Axes, Is.EqualTo(new[] { "model_param.num_layers", "model_param.seq_len", "model_param.global_batch_size", "parallelism.train.dp", "sw_param.full_recomputation" }));
        Assert.That(result.Points.Select(p => string.Join(" ", p.Settings.Skip(2).Select(s => s.Value))), Is.EqualTo(new[]
        {
            "4 1 false", "4 1 true", "4 3 false", "4 3 true", "8 1 false", "8 1 true", "8 3 false", "8 3 true",
        }));
        // dp 3 divides neither batch: those points carry the validator's sentence.
        Assert.That(result.Points.Where(p => p.Settings[3].Value == "3").All(p => p.Figures is null && p.Error!.Contains("parallelism.train.dp")));

        var point = result.Points[5];
        var baseModel = ModelConfig.FromYaml(Model).Transformer!;
        var expected = LlmSimulation.Create()
            .Hardware(Hardware)
            .Model(new ModelConfig(ModelMode.Llm, baseModel with { NumLayers = 4, SeqLen = 512, GlobalBatchSize = 8 }, null))
            .Software(s => s.FullRecomputation(true))
            .Build().EstimateTraining();
        Assert.That(point.Figures!.TimePerBatchSeconds, Is.EqualTo(expected.TimePerBatchSeconds));
        Assert.That(point.Figures.PeakGib, Is.EqualTo(expected.Memory!.Report.PeakGib));
        Assert.That(result.ToCsv().Split('\n')[0], Is.EqualTo(
            "model_param.num_layers,model_param.seq_len,model_param.global_batch_size,parallelism.train.dp,sw_param.full_recomputation,time_s,ttft_s,tokens_per_s,mfu,peak_gib,fits,energy_j,error"));
        Assert.That(result.ToJson(), Does.Contain("\"schema\": \"rapid-llm-sweep/1\""));
    }

    [Test]
    public void A_list_item_is_chosen_by_its_id()
    {
        var slow = SettingSweep.FromYaml(Hardware, Model)
            .Over("model_param.num_layers", 4)
            .Over("model_param.seq_len", 512)
            .Over("model_param.global_batch_size", 4)
            .Over("network.dimensions[dim0].topology.bandwidth", "50 GB", "5 GB")
            .Run(maxDegreeOfParallelism: 2);
        // The file's tp 2 runs over dim0: a tenth of the bandwidth makes the step slower.
        Assert.That(slow.Points[1].Figures!.TimePerBatchSeconds!.Value, Is.GreaterThan(slow.Points[0].Figures!.TimePerBatchSeconds!.Value));
    }

    [Test]
    public void A_builder_sweep_applies_each_value_and_is_the_same_on_any_thread_count()
    {
        SettingSweep Sweep() => SettingSweep.From(SearchFixtures.SmallTraining)
            .Over("tp", [1, 2, 4], (b, tp) => b.Parallelism(p => p.Tensor(tp, sequenceParallel: true).Data(4 / tp)))
            .Over("ZeRO", [0, 1], (b, z) => b.Software(s => s.ZeroStage(z)));
        var one = Sweep().Run(maxDegreeOfParallelism: 1);
        var many = Sweep().Run(maxDegreeOfParallelism: 3);

        Assert.That(many, Is.EqualTo(one));
        Assert.That(one.Points, Has.Count.EqualTo(6));
        var direct = SearchFixtures.SmallTraining().Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(2)).Software(s => s.ZeroStage(1)).Build().EstimateTraining();
        Assert.That(one.Points[3].Figures!.TimePerBatchSeconds, Is.EqualTo(direct.TimePerBatchSeconds));
        Assert.That(one.Points[3].Settings.Select(s => s.Value), Is.EqualTo(new[] { "2", "1" }));
    }
}
