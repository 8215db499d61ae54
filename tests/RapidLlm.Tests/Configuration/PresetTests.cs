using RapidLlm.Configuration;
using RapidLlm.Hardware;

namespace RapidLlm.Tests.Configuration;

/// <summary>The presets shipped in configs/ load cleanly and have the intended figures.</summary>
public class PresetTests
{
    private static string Preset(string relative) => Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", relative);

    private static IEnumerable<string> Presets() =>
        Directory.EnumerateFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "configs"), "*.yaml", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Path.Combine(TestContext.CurrentContext.TestDirectory, "configs"), p).Replace('\\', '/'));

    [TestCaseSource(nameof(Presets))]
    public void LoadsWithoutWarnings(string relative)
    {
        var path = Preset(relative);
        if (relative.StartsWith("hardware-config", StringComparison.Ordinal))
        {
            var hw = HardwareConfig.LoadYaml(path);
            Assert.That(hw.Warnings.Count, Is.Zero, string.Join("\n", hw.Warnings));
            Assert.That(hw.Value.ExecutionBackend.Kind, Is.EqualTo(ExecutionBackendKind.Analytical));
            Assert.That(hw.Value.Network.Dimensions.Select(d => d.Topology.Type), Is.All.EqualTo(TopologyType.Ring));
        }
        else
        {
            Assert.That(ModelConfig.LoadYaml(path).Warnings.Count, Is.Zero);
        }
    }

    [Test]
    public void ReferenceA100PresetEqualsTheReferenceFile()
    {
        var preset = HardwareConfig.FromYaml(Preset("hardware-config/reference/a100_80GB.yaml"));
        var reference = HardwareConfig.FromYaml(Path.Combine(TestData.Configs, "head", "configs", "hardware-config", "a100_80GB.yaml"));
        Assert.That(preset, Is.EqualTo(reference));
    }

    [TestCase("a100_80GB.yaml")]
    [TestCase("H100_SXM5_80GB.yaml")]
    [TestCase("H200_SXM_141GB.yaml")]
    public void ShippedPresetsUseTheCalibratedModelAndTheirReferenceCopiesDoNot(string file)
    {
        Assert.That(HardwareConfig.FromYaml(Preset("hardware-config/" + file)).PerformanceModel.Kind, Is.EqualTo(PerformanceModelKind.Calibrated));
        Assert.That(HardwareConfig.FromYaml(Preset("hardware-config/reference/" + file)).PerformanceModel, Is.EqualTo(PerformanceModelConfig.Reference));
    }

    [Test]
    public void H200HasH100ComputeAndCalibrationWithLargerFasterMemory()
    {
        var h100File = HardwareConfig.FromYaml(Preset("hardware-config/H100_SXM5_80GB.yaml"));
        var h200File = HardwareConfig.FromYaml(Preset("hardware-config/H200_SXM_141GB.yaml"));
        var h100 = HardwareDerivation.Derive(h100File);
        var h200 = HardwareDerivation.Derive(h200File);
        Assert.Multiple(() =>
        {
            Assert.That(h200.Core, Is.EqualTo(h100.Core));
            Assert.That(h200File.PerformanceModel, Is.EqualTo(h100File.PerformanceModel), "H200 keeps the H100 fit, HBM efficiency included");
            Assert.That(h200.Dram.SizeBytes, Is.EqualTo(141.0 * (1L << 30)));
            Assert.That(h200.Dram.ThroughputBytesPerSecond, Is.EqualTo(4.8e12), "datasheet HBM3e bandwidth");
            Assert.That(h100.Dram.ThroughputBytesPerSecond, Is.EqualTo(3.35e12), "datasheet HBM3 bandwidth");
        });
    }

    [Test]
    public void ReferenceH200HasH100ComputeWithLargerFasterMemory()
    {
        var h100 = HardwareDerivation.Derive(HardwareConfig.FromYaml(Preset("hardware-config/reference/H100_SXM5_80GB.yaml")));
        var h200 = HardwareDerivation.Derive(HardwareConfig.FromYaml(Preset("hardware-config/reference/H200_SXM_141GB.yaml")));
        Assert.That(h200.Core, Is.EqualTo(h100.Core));
        Assert.That(h200.Dram.SizeBytes, Is.EqualTo(141.0 * (1L << 30)));
        Assert.That(h200.Dram.ThroughputBytesPerSecond, Is.EqualTo(4800.0 * (1L << 30)));
    }
}
