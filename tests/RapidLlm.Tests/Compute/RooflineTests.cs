using System.Globalization;
using RapidLlm.Compute;

namespace RapidLlm.Tests.Compute;

[TestFixture]
public class RooflineTests
{
    private static readonly GoldenData.Device A100 = GoldenData.LoadDevice("a100");

    [Test]
    public void RegisterLevelMatchesTheCollectiveMemcopyAndPrepTerms()
    {
        // The golden collectives record roofline(0, ceil(2S/p)) and roofline(S/p, ceil(3S/p)) at level 0.
        var roofline = new Roofline(A100.Hardware);
        var mismatches = new List<string>();
        var checkedRows = 0;
        foreach (var row in GoldenData.ReadCsv("collectives.csv").Where(r => r["memcopy_s"].Length > 0))
        {
            var size = Math.Ceiling(GoldenData.Number(row["size_bytes"]));
            var p = GoldenData.Integer(row["participants"]);
            var memcopy = roofline.TimeAtRegisterLevelSeconds(0, Math.Ceiling(2 * size / p));
            var prep = roofline.TimeAtRegisterLevelSeconds(size / p, Math.Ceiling(3 * size / p));
            if (!GoldenData.Close(memcopy, GoldenData.Number(row["memcopy_s"]), 1e-12)
                || !GoldenData.Close(prep, GoldenData.Number(row["prep_s"]), 1e-12))
            {
                mismatches.Add(string.Create(CultureInfo.InvariantCulture, $"S={size} p={p}: {memcopy:R}/{prep:R}"));
            }

            checkedRows++;
        }

        Assert.That(checkedRows, Is.GreaterThan(2000));
        Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches.Take(20)));
    }

    [Test]
    public void MemoryBoundLevelPaysBandwidthAndLatency()
    {
        var roofline = new Roofline(A100.Hardware);
        var dram = A100.Hardware.Dram;
        // Intensity 1 flop/byte is far below the A100 DRAM ridge point (~146 flop/byte).
        Assert.That(
            roofline.TimeAtDramSeconds(1e9, 1e9),
            Is.EqualTo(1e9 / dram.ThroughputBytesPerSecond + dram.LatencySeconds));
    }

    [Test]
    public void ComputeBoundLevelPaysFlopsOverScaledThroughput()
    {
        var roofline = new Roofline(A100.Hardware);
        var throughput = A100.Hardware.Core.ThroughputFlopsPerSecond;
        Assert.Multiple(() =>
        {
            Assert.That(roofline.TimeAtDramSeconds(1e15, 1e6), Is.EqualTo(1e15 / throughput));
            Assert.That(roofline.TimeAtDramSeconds(1e15, 1e6, util: 0.5), Is.EqualTo(1e15 / (throughput * 0.5)));
        });
    }

    [Test]
    public void AllLevelsTakeTheSlowest()
    {
        var roofline = new Roofline(A100.Hardware);
        double[] bytes = [1e6, 1e6, 1e6, 1e9];
        var expected = Enumerable.Range(0, 4).Max(level => roofline.TimeAtLevelSeconds(2e9, bytes[level], level));
        Assert.That(roofline.TimeSeconds(2e9, bytes), Is.EqualTo(expected));
        Assert.That(expected, Is.EqualTo(roofline.TimeAtDramSeconds(2e9, 1e9)));
    }

    [Test]
    public void ZeroLastLevelIsRejectedUnlessAllowed()
    {
        var roofline = new Roofline(A100.Hardware);
        double[] bytes = [1e6, 1e6, 1e6, 0];
        Assert.Multiple(() =>
        {
            Assert.That(() => roofline.TimeSeconds(1e9, bytes), Throws.ArgumentException);
            Assert.That(roofline.TimeSeconds(1e9, bytes, allowZeroLastLevel: true), Is.GreaterThan(0));
        });
    }

    [Test]
    public void ScalarBytesAreTruncatedLikeTheReference()
    {
        var roofline = new Roofline(A100.Hardware);
        Assert.That(roofline.TimeAtRegisterLevelSeconds(0, 1000.9), Is.EqualTo(roofline.TimeAtRegisterLevelSeconds(0, 1000)));
    }

    [Test]
    public void ZeroBandwidthOrThroughputGivesInfinity()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Roofline.LevelTimeSeconds(1, 1e6, 1e12, 0, 0), Is.EqualTo(double.PositiveInfinity));
            Assert.That(Roofline.LevelTimeSeconds(1e6, 1, 0, 1e9, 0), Is.EqualTo(double.PositiveInfinity));
            Assert.That(Roofline.LevelTimeSeconds(0, 0, 1e12, 1e9, 0), Is.Zero);
        });
    }
}
