using RapidLlm.AstraSim.Execution;
using RapidLlm.AstraSim.Running;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Network;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// The pipeline graph's data-parallel all-reduce in the AstraSim modes: the reference prices it without an axis, so it
/// lands on the first (tp) dimension; the calibrated model prices it on the dp dimension. Needs a real binary.
/// </summary>
[Category("AstraSimBinary")]
public sealed class AstraDataParallelAxisTests
{
    [Test]
    public void TheCalibratedModelPricesTheDataParallelAllReduceOnTheDpDimension()
    {
        if (!AstraSimBinaryLocator.TryLocate(null, out var binary, Environment.GetEnvironmentVariable))
            Assert.Ignore($"No AstraSim binary: set {AstraSimBinaryLocator.EnvironmentVariable} or build {AstraSimBinaryLocator.DefaultRelativePath} to run this test.");
        var text = File.ReadAllText(Path.Combine(AstraArtifacts.Root, "cases", "head", "t_tp2_pp2_dp2", "hybrid", "hw.yaml"));
        var output = Directory.CreateTempSubdirectory("astra-dp-axis-").FullName;
        try
        {
            double DataParallelAllReduce(string yaml, out AstraSimBackend backend)
            {
                var hardware = HardwareConfig.FromYamlText(yaml, "hw.yaml");
                backend = (AstraSimBackend)ExecutionBackendFactory.Create(hardware, new DeviceModels(hardware).Collectives, new AstraSimOptions(output, binary));
                return backend.Collectives(RunType.Training).CollectiveSeconds(CollectiveKind.AllReduce, 64 << 20, 2, ParallelismAxis.Dp);
            }

            var reference = DataParallelAllReduce(text, out var referenceBackend);
            var calibrated = DataParallelAllReduce(text + "\nperformance_model: calibrated\n", out var calibratedBackend);
            var timer = referenceBackend.Collectives(RunType.Training);
            Assert.Multiple(() =>
            {
                Assert.That(reference, Is.EqualTo(timer.Seconds(CollectiveKind.AllReduce, 64 << 20, 2, (ParallelismAxis?)null)), "reference: the greedy tp-first dimension");
                Assert.That(calibrated, Is.EqualTo(calibratedBackend.Collectives(RunType.Training).Seconds(CollectiveKind.AllReduce, 64 << 20, 2, ParallelismAxis.Dp)));
                Assert.That(calibrated, Is.GreaterThan(reference), "the dp dimension (20 GB/s) is slower than the tp one (50 GB/s)");
            });
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
