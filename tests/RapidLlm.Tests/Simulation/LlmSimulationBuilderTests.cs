using RapidLlm.AstraSim;
using RapidLlm.Cli;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Inference;
using RapidLlm.Network;

namespace RapidLlm.Tests.Simulation;

/// <summary>The fluent builder: equal to YAML for equal inputs, every problem reported at once, AstraSim refused clearly.</summary>
public class LlmSimulationBuilderTests
{
    [Test]
    public void BuilderEqualsTheShippedFilesForTheSameChoices()
    {
        var built = LlmSimulation.Create()
            .Hardware(HardwarePresets.H100Sxm80GB)
            .Model(ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096, gradientAccumulationSteps: 16))
            .Parallelism(p => p.Tensor(2, sequenceParallel: true))
            .UseAnalytical()
            .Build();
        var fromFiles = LlmSimulation.FromYaml(ConfigFiles.Hardware("a100_80GB.yaml"), ConfigFiles.Model("Llama2-7B.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(built.Hardware.Parallelism, Is.EqualTo(fromFiles.Hardware.Parallelism));
            Assert.That(built.Model, Is.EqualTo(Inert.Canonical(fromFiles.Model)));
        });
    }

    [Test]
    public void ChangedParallelismResizesTheNetworkLikeAFileWould()
    {
        var yaml = File.ReadAllText(ConfigFiles.Hardware("a100_80GB.yaml"))
            .Replace("  tp: 2\n", "  tp: 8\n", StringComparison.Ordinal)
            .Replace("  pp: 1\n  mb: 1\n", "  pp: 4\n  mb: 8\n", StringComparison.Ordinal)
            .Replace("    dp: 1\n", "    dp: 16\n", StringComparison.Ordinal);
        var fromText = HardwareConfig.FromYamlText(yaml);
        var built = LlmSimulation.Create()
            .Hardware(HardwarePresets.A100Sxm80GB)
            .Model(ModelPresets.Llama2_7B.Training(1024, 4096))
            .Parallelism(p => p.Tensor(8, sequenceParallel: true).Pipeline(4, microBatches: 8).Data(16))
            .Software(s => s.ZeroStage(1).FullRecomputation())
            .Build();
        Assert.That(built.Hardware, Is.EqualTo(fromText));
    }

    [Test]
    public void TrainingEstimateEqualsTheCliPath()
    {
        var fromFiles = LlmSimulation.FromYaml(ConfigFiles.Hardware("a100_80GB.yaml"), ConfigFiles.Model("Llama2-7B.yaml"));
        var run = ConfigValidator.Validate(HardwareConfig.LoadYaml(ConfigFiles.Hardware("a100_80GB.yaml")), ModelConfig.LoadYaml(ConfigFiles.Model("Llama2-7B.yaml")));
        var direct = new TrainingEstimator(new DeviceModels(run.Hardware)).Estimate(run.Model.Transformer!);
        var viaBuilder = fromFiles.EstimateTraining();
        Assert.Multiple(() =>
        {
            Assert.That(viaBuilder.TimePerBatchSeconds, Is.EqualTo(direct.TimePerBatchSeconds));
            Assert.That(viaBuilder.Memory!.Report.PeakGib, Is.EqualTo(direct.Memory!.Report.PeakGib));
        });
    }

    [Test]
    public void InferenceEstimateHonoursTheEnergyOption()
    {
        // The accounting option belongs to the reference model's energy; the calibrated model always counts everything.
        var simulation = LlmSimulation.Create()
            .Hardware(HardwarePresets.ReferenceA100Sxm80GB)
            .Model(ModelPresets.Llama3_1_8B.Inference(batch: 1, promptLength: 1024, decodeLength: 1024))
            .Build();
        var all = simulation.EstimateInference(includeMemory: false);
        var reference = simulation.ToBuilder().Energy(EnergyAccounting.ReferenceSingleLayer).Build().EstimateInference(includeMemory: false);
        Assert.Multiple(() =>
        {
            Assert.That(reference.TotalSeconds, Is.EqualTo(all.TotalSeconds));
            Assert.That(reference.Energy.TotalJoules, Is.LessThan(all.Energy.TotalJoules));
            Assert.That(simulation.EstimateMemory().Report.PeakGib, Is.GreaterThan(0));
        });
    }

    [Test]
    public void GemmModelsEstimateTheirGemm()
    {
        var estimate = LlmSimulation.Create().Hardware(HardwarePresets.H100Sxm80GB).Model(ModelPresets.Gemm(4096, 4096, 4096, backward: true)).Build().EstimateGemm();
        Assert.That(estimate.TotalSeconds, Is.GreaterThan(0));
    }

    [Test]
    public void EveryProblemIsReportedAtOnce()
    {
        var builder = LlmSimulation.Create()
            .Hardware(HardwarePresets.A100Sxm80GB)
            .Model(ModelPresets.Llama2_7B.Training(globalBatch: 1000, sequenceLength: 4096))
            .Parallelism(p => p.Tensor(0).Pipeline(4, microBatches: 0).Data(16))
            .Network(n => n.Overlap(tensor: 1.5).Dimension(7, d => d.Bandwidth(1e9)).Dimension(0, d => d.Bandwidth(-1)))
            .Software(s => s.ZeroStage(4));
        var e = Assert.Throws<ConfigurationException>(() => builder.Build())!;
        var paths = e.Errors.Select(d => d.YamlPath).ToList();
        Assert.That(paths, Is.SupersetOf(new[]
        {
            "parallelism.tp", "parallelism.mb", "network.overlap.tp_overlap", "network.dimensions[7]",
            "network.dimensions[0].topology.bandwidth", "sw_param.dp_zero_stage", "model_param.global_batch_size",
        }));
    }

    [Test]
    public void MissingPartsAndBadModelValuesAreNamed()
    {
        var e = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create().Build())!;
        Assert.That(e.Errors.Select(d => d.YamlPath), Is.EquivalentTo(new[] { "hardware", "model" }));

        var bad = ModelPresets.Llama2_7B with { NumHeads = 30, KvHeads = 30 };
        var e2 = Assert.Throws<ConfigurationException>(() =>
            LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(bad.Inference(0, 16, 32)).Build())!;
        Assert.That(e2.Errors.Select(d => d.YamlPath), Is.SupersetOf(new[] { "model_param.global_batch_size", "model_param.hidden_dim" }));
        Assert.That(e2.Message, Does.Contain("hidden_dim (value '4096'): must be divisible by attention.num_heads (30)"));
    }

    [Test]
    public void YamlPathsAreReadAtBuildAndTheirErrorsJoinTheOthers()
    {
        var e = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create()
            .Hardware("/nonexistent/hw.yaml").Model("/nonexistent/model.yaml").Build())!;
        Assert.That(e.Errors.Select(d => d.Source), Is.EquivalentTo(new[] { "/nonexistent/hw.yaml", "/nonexistent/model.yaml" }));
    }

    [Test]
    public void AstraSimSetsTheBackendAndAMissingBinaryIsExplained()
    {
        var simulation = LlmSimulation.Create()
            .Hardware(HardwarePresets.A100Sxm80GB)
            .Model(ModelPresets.Llama2_7B.Training(1024, 4096))
            .UseAstraSim(a => a.Hierarchical().Binary("/opt/astra/AstraSim_Analytical").Collectives(allReduce: "ring"))
            .Build();
        Assert.Multiple(() =>
        {
            Assert.That(simulation.Hardware.ExecutionBackend.Kind, Is.EqualTo(ExecutionBackendKind.AstraSim));
            Assert.That(simulation.Hardware.ExecutionBackend.Astra, Is.EqualTo(new AstraSimConfig(
                "analytical", AstraSimMode.FullHierarchical, new AstraCollectivesConfig("auto", "ring", "auto", "auto"), null, "/opt/astra/AstraSim_Analytical")));
            var e = Assert.Throws<RapidLlm.AstraSim.Running.AstraSimBinaryNotFoundException>(() => simulation.EstimateTraining())!;
            Assert.That(e.Message, Does.Contain("/opt/astra/AstraSim_Analytical"));
        });
    }

    [Test]
    public void AnalyticalNetworksRejectNonRingTopologies()
    {
        var e = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create()
            .Hardware(HardwarePresets.A100Sxm80GB).Model(ModelPresets.Llama2_7B.Training(1024, 4096))
            .Network(n => n.Dimension(0, d => d.Topology(TopologyType.Switch))).Build())!;
        Assert.That(e.Errors.Single().YamlPath, Is.EqualTo("network.dimensions[0].topology.type"));
    }

    [Test]
    public void NetworkChangesReachTheLinks()
    {
        var simulation = LlmSimulation.Create()
            .Hardware(HardwarePresets.A100Sxm80GB).Model(ModelPresets.Llama2_7B.Training(1024, 4096))
            .Network(n => n.Dimension(0, d => d.Bandwidth(600e9).Latency(1e-6).Axes(ParallelismAxis.Tp)))
            .Build();
        var dim = simulation.Hardware.Network.Dimensions[0];
        Assert.That((dim.Topology.BandwidthBytesPerSecond, dim.Topology.LatencySeconds, dim.Parallelisms.Count), Is.EqualTo((600e9, 1e-6, 1)));
    }

    [Test]
    public void EstimatingTheWrongRunTypeSaysWhichMethodToUse()
    {
        var simulation = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(ModelPresets.Llama2_7B.Training(1024, 4096)).Build();
        var e = Assert.Throws<InvalidOperationException>(() => simulation.EstimateInference())!;
        Assert.That(e.Message, Does.Contain("EstimateTraining"));
    }

    [Test]
    public void SingleStagePolicyReachesTheEstimator()
    {
        var chained = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(ModelPresets.Llama2_7B.Training(64, 4096))
            .Parallelism(p => p.Tensor(2, sequenceParallel: true).Pipeline(1, microBatches: 4)).Build();
        var reference = chained.ToBuilder().SingleStageMicroBatches(SingleStageMicroBatchPolicy.ReproduceReference).Build();
        Assert.That(chained.EstimateTraining(false).TimePerBatchSeconds, Is.GreaterThan(reference.EstimateTraining(false).TimePerBatchSeconds));
    }
}
