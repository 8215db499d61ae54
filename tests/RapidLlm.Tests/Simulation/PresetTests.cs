using RapidLlm.Configuration;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Simulation;

/// <summary>Presets are the devices of the shipped configs/ files; a run's choices are the caller's.</summary>
public class PresetTests
{
    public static IEnumerable<TestCaseData> HardwareCases()
    {
        yield return new TestCaseData("a100_80GB.yaml", HardwarePresets.A100Sxm80GB).SetName("A100Sxm80GB");
        yield return new TestCaseData("H100_SXM5_80GB.yaml", HardwarePresets.H100Sxm80GB).SetName("H100Sxm80GB");
        yield return new TestCaseData("H200_SXM_141GB.yaml", HardwarePresets.H200Sxm141GB).SetName("H200Sxm141GB");
        yield return new TestCaseData("v100.yaml", HardwarePresets.V100Sxm16GB).SetName("V100Sxm16GB");
        yield return new TestCaseData("reference/a100_80GB.yaml", HardwarePresets.ReferenceA100Sxm80GB).SetName("ReferenceA100Sxm80GB");
        yield return new TestCaseData("reference/H100_SXM5_80GB.yaml", HardwarePresets.ReferenceH100Sxm80GB).SetName("ReferenceH100Sxm80GB");
        yield return new TestCaseData("reference/H200_SXM_141GB.yaml", HardwarePresets.ReferenceH200Sxm141GB).SetName("ReferenceH200Sxm141GB");
    }

    [TestCaseSource(nameof(HardwareCases))]
    public void HardwarePresetIsTheShippedFilesDevice(string file, HardwareConfig preset)
    {
        var shipped = HardwareConfig.FromYaml(ConfigFiles.Hardware(file));
        Assert.Multiple(() =>
        {
            Assert.That(preset.Technology, Is.EqualTo(shipped.Technology), "compute and memory");
            Assert.That(preset.MemoryHierarchy, Is.EqualTo(shipped.MemoryHierarchy));
            Assert.That(preset.Network, Is.EqualTo(shipped.Network), "interconnect");
            Assert.That(preset.PerformanceModel, Is.EqualTo(shipped.PerformanceModel));
            Assert.That(preset.Software.Precision, Is.EqualTo(shipped.Software.Precision), "number formats");
            Assert.That(preset.Software.KernelLaunchOverheadSeconds, Is.EqualTo(shipped.Software.KernelLaunchOverheadSeconds));
            Assert.That(preset.Software.DpMicrobatch, Is.EqualTo(DpMicrobatchSync.LastMicrobatch), "gradients synced once per step");
            Assert.That(preset, Is.EqualTo(HardwarePresets.DeviceOf(shipped)), "nothing else differs");
        });
    }

    [TestCaseSource(nameof(HardwareCases))]
    public void HardwarePresetDescribesNoRun(string file, HardwareConfig preset)
    {
        Assert.Multiple(() =>
        {
            Assert.That(preset.Parallelism, Is.EqualTo(ParallelismConfig.SingleDevice), "one device, no sequence parallelism");
            Assert.That(preset.Software.DpZeroStage, Is.Zero, "no ZeRO");
            Assert.That(preset.Software.FullRecomputation, Is.False, "no recomputation");
        });
    }

    [Test]
    public void ARunStatedOnAPresetEqualsTheShippedFilesRun()
    {
        // configs/hardware-config/a100_80GB.yaml runs tp 2 with sequence parallelism, ZeRO-1 and full recomputation.
        var model = ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096, gradientAccumulationSteps: 16);
        var fromFile = LlmSimulation.Create().Hardware(HardwareConfig.FromYaml(ConfigFiles.Hardware("a100_80GB.yaml"))).Model(model).Build().EstimateTraining();
        var fromPreset = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(model)
            .Parallelism(p => p.Tensor(2, sequenceParallel: true))
            .Software(s => s.ZeroStage(1).FullRecomputation())
            .Build().EstimateTraining();
        var presetAlone = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(model).Build().EstimateTraining(includeMemory: false);
        Assert.Multiple(() =>
        {
            Assert.That(fromPreset, Is.EqualTo(fromFile));
            Assert.That(presetAlone.TimePerBatchSeconds, Is.Not.EqualTo(fromFile.TimePerBatchSeconds), "the preset alone is one device");
        });
    }

    [Test]
    public void PresetsAreParsedOnce()
    {
        var first = HardwarePresets.A100Sxm80GB;
        var second = HardwarePresets.A100Sxm80GB;
        Assert.That(second, Is.SameAs(first));
    }

    public static IEnumerable<TestCaseData> ModelCases()
    {
        yield return new TestCaseData("Llama2-7B.yaml", ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096, gradientAccumulationSteps: 16)).SetName("Llama2_7B_training");
        yield return new TestCaseData("Llama2-7B_inf.yaml", ModelPresets.Llama2_7B.Inference(batch: 16, promptLength: 1024, decodeLength: 1024)).SetName("Llama2_7B_inference");
        yield return new TestCaseData("Llama2-13B_inf.yaml", ModelPresets.Llama2_13B.Inference(16, 1024, 1024, attentionTileSize: 256)).SetName("Llama2_13B_inference");
        yield return new TestCaseData("Llama2-70B_inf.yaml", ModelPresets.Llama2_70B.Inference(8, 1024, 1024)).SetName("Llama2_70B_inference");
        yield return new TestCaseData("Llama3.1-8B_inf.yaml", ModelPresets.Llama3_1_8B.Inference(1, 1024, 1024)).SetName("Llama3_1_8B_inference");
        yield return new TestCaseData("Llama3.1-70B.yaml", ModelPresets.Llama3_1_70B.Training(16, 65536, flashAttention: true)).SetName("Llama3_1_70B_training");
        yield return new TestCaseData("Llama3.1-405B.yaml", ModelPresets.Llama3_1_405B.Training(1024, 4096)).SetName("Llama3_1_405B_training");
        yield return new TestCaseData("GPT.yaml", ModelPresets.GptStyle.Training(1024, 16384)).SetName("GptStyle_training");
    }

    [TestCaseSource(nameof(ModelCases))]
    public void ModelPresetEqualsTheShippedFile(string file, ModelConfig preset) =>
        Assert.That(preset, Is.EqualTo(Inert.Canonical(ModelConfig.FromYaml(ConfigFiles.Model(file)))));

    [Test]
    public void GemmPresetEqualsTheShippedFile() =>
        Assert.That(ModelPresets.Gemm(4096, 524288, 2048, backward: true), Is.EqualTo(ModelConfig.FromYaml(ConfigFiles.Model("GEMM.yaml"))));

    [Test]
    public void InertFieldsDoNotChangeEstimates()
    {
        // The canonical form used above drops only fields no estimate reads; prove it on the file that differs most.
        var file = ModelConfig.FromYaml(ConfigFiles.Model("Llama3.1-70B.yaml"));
        var hardware = HardwarePresets.A100Sxm80GB;
        double Time(ModelConfig m) => LlmSimulation.Create().Hardware(hardware).Model(m)
            .Parallelism(p => p.Tensor(8, sequenceParallel: true).Pipeline(2, microBatches: 2)).Build().EstimateTraining(includeMemory: false).TimePerBatchSeconds;
        Assert.That(Time(Inert.Canonical(file)), Is.EqualTo(Time(file)));
    }
}
