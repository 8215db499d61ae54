using RapidLlm.Validation;

namespace RapidLlm.Tests.Calibrated;

/// <summary>The measured H100 ground truth and the shipped presets, as the tests see them.</summary>
internal static class GpuData
{
    public static string H100Folder => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "gpu", "h100");

    public static string Preset(string file) => Simulation.ConfigFiles.Hardware(file);

    public static IReadOnlyList<GpuMeasurement> H100Entries { get; } = GpuMeasurementSet.Load(H100Folder, "H100");

    public static IReadOnlyList<GpuKernelMeasurement> H100Kernels { get; } = GpuKernelMeasurement.Load(H100Folder, "H100");

    private static readonly Lazy<IReadOnlyList<GpuPointResult>> Calibrated = new(() =>
        new GpuMeasurementRunner().Run(H100Entries, File.ReadAllText(Preset("H100_SXM5_80GB.yaml")), "H100_SXM5_80GB.yaml"));

    private static readonly Lazy<IReadOnlyList<GpuPointResult>> Reference = new(() =>
        new GpuMeasurementRunner().Run(H100Entries, File.ReadAllText(Path.Combine(H100Folder, "cases", "hw", "h100.yaml")), "h100.yaml"));

    /// <summary>Every entry predicted with the shipped calibrated H100 preset (run once per test run).</summary>
    public static IReadOnlyList<GpuPointResult> CalibratedResults => Calibrated.Value;

    /// <summary>Every entry predicted with the reference's own H100 file (the reference model).</summary>
    public static IReadOnlyList<GpuPointResult> ReferenceResults => Reference.Value;
}
