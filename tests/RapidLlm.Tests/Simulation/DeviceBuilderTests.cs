using RapidLlm.Configuration;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Simulation;

/// <summary>Device what-ifs through the builder give the same simulation as the changed hardware record.</summary>
public class DeviceBuilderTests
{
    private static readonly ModelConfig Model = ModelPresets.Llama2_7B.Training(globalBatch: 32, sequenceLength: 2048);

    [Test]
    public void TwiceTheMemoryBandwidthEqualsTheHardwareWithTwiceTheBandwidth()
    {
        var h100 = HardwarePresets.H100Sxm80GB;
        var changed = h100 with
        {
            Technology = h100.Technology with
            {
                Dram = h100.Technology.Dram with { BandwidthBytesPerSecond = 2 * h100.MemoryBandwidthBytesPerSecond, SizeBytes = 96e9 },
                Core = h100.Technology.Core with { NumBundles = 120, OperatingFrequencyHz = 1.6e9 },
            },
        };
        var viaBuilder = LlmSimulation.Create().Hardware(h100).Model(Model).Parallelism(p => p.Tensor(4).Data(2))
            .Device(d => d.MemoryBandwidth(2 * h100.MemoryBandwidthBytesPerSecond).MemoryCapacity(96e9).ComputeUnits(120).ClockFrequency(1.6e9))
            .Build();
        var viaRecord = LlmSimulation.Create().Hardware(changed).Model(Model).Parallelism(p => p.Tensor(4).Data(2)).Build();
        var plain = LlmSimulation.Create().Hardware(h100).Model(Model).Parallelism(p => p.Tensor(4).Data(2)).Build();
        Assert.Multiple(() =>
        {
            Assert.That(viaBuilder.Hardware, Is.EqualTo(viaRecord.Hardware));
            Assert.That(viaBuilder.Hardware.MemoryBandwidthBytesPerSecond, Is.EqualTo(2 * h100.MemoryBandwidthBytesPerSecond));
            Assert.That(viaBuilder.Hardware.MemoryCapacityBytes, Is.EqualTo(96e9));
            Assert.That(viaBuilder.EstimateTraining(), Is.EqualTo(viaRecord.EstimateTraining()));
            Assert.That(viaBuilder.EstimateTraining(includeMemory: false).TimePerBatchSeconds, Is.Not.EqualTo(plain.EstimateTraining(includeMemory: false).TimePerBatchSeconds));
        });
    }

    [Test]
    public void ImpossibleDeviceValuesAreReportedTogether()
    {
        var e = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create().Hardware(HardwarePresets.H100Sxm80GB).Model(Model)
            .Device(d => d.MemoryBandwidth(0).MemoryCapacity(double.NaN).ComputeUnits(0).ClockFrequency(-1)).Build())!;
        Assert.That(e.Problems.Select(p => p.YamlPath), Is.SupersetOf(new[]
        {
            "tech_param.DRAM.bandwidth", "tech_param.DRAM.size", "tech_param.core.num_bundles", "tech_param.core.operating_frequency",
        }));
    }
}
