using System.Globalization;
using RapidLlm.AstraSim.Execution;
using RapidLlm.AstraSim.Running;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// Each schedule in the AstraSim modes with a real binary: the run finishes and stays within a factor of two of the
/// analytical estimate of the same case (AstraSim times the sends and collectives on its own network model). Figures are
/// printed as ASTRA-SCHEDULE lines. Skipped visibly when no binary is found.
/// </summary>
[Category("AstraSimBinary")]
public sealed class AstraScheduleRealBinaryTests
{
    [TestCase("full_astrasim_hierarchical")]
    [TestCase("full_astrasim_flattened")]
    public void InterleavingIsFasterThan1F1BInAstraSim(string mode)
    {
        if (!AstraSimBinaryLocator.TryLocate(null, out var binary, Environment.GetEnvironmentVariable))
        {
            Assert.Ignore($"No AstraSim binary: set {AstraSimBinaryLocator.EnvironmentVariable} or build {AstraSimBinaryLocator.DefaultRelativePath} to run this test.");
        }

        Assert.That(AstraSeconds("interleaved_1f1b", 2, mode, binary!), Is.LessThan(AstraSeconds("1f1b", 1, mode, binary!)));
    }

    private static double AstraSeconds(string schedule, int virtualStages, string mode, string binary)
    {
        var run = ScheduleAstraCase.Load(schedule, virtualStages, mode);
        var output = Directory.CreateTempSubdirectory("astra-schedule-").FullName;
        try
        {
            var device = new DeviceModels(run.Hardware);
            var backend = ExecutionBackendFactory.Create(run.Hardware, device.Collectives, new AstraSimOptions(output, binary));
            return new TrainingEstimator(device, backend).Estimate(run.Model.Transformer!, includeMemory: false).TimePerBatchSeconds;
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [TestCase("gpipe", 1, "full_astrasim_hierarchical")]
    [TestCase("1f1b", 1, "full_astrasim_hierarchical")]
    [TestCase("interleaved_1f1b", 2, "full_astrasim_hierarchical")]
    [TestCase("1f1b", 1, "full_astrasim_flattened")]
    [TestCase("interleaved_1f1b", 2, "full_astrasim_flattened")]
    public void ScheduleRunsNearTheAnalyticalEstimate(string schedule, int virtualStages, string mode)
    {
        if (!AstraSimBinaryLocator.TryLocate(null, out var binary, Environment.GetEnvironmentVariable))
        {
            Assert.Ignore($"No AstraSim binary: set {AstraSimBinaryLocator.EnvironmentVariable} or build {AstraSimBinaryLocator.DefaultRelativePath} to run this test.");
        }

        var run = ScheduleAstraCase.Load(schedule, virtualStages, mode);
        var output = Directory.CreateTempSubdirectory("astra-schedule-").FullName;
        try
        {
            var device = new DeviceModels(run.Hardware);
            var backend = ExecutionBackendFactory.Create(run.Hardware, device.Collectives, new AstraSimOptions(output, binary));
            var astra = new TrainingEstimator(device, backend).Estimate(run.Model.Transformer!, includeMemory: false).TimePerBatchSeconds;
            var analytical = new TrainingEstimator(device).Estimate(run.Model.Transformer!, includeMemory: false).TimePerBatchSeconds;
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ASTRA-SCHEDULE {schedule} v{virtualStages} {mode} astra={astra:R} analytical={analytical:R} ratio={astra / analytical:0.000}"));
            Assert.That(astra / analytical, Is.InRange(0.5, 2.0));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
