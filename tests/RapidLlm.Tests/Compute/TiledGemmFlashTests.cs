using System.Globalization;
using RapidLlm.Compute;

namespace RapidLlm.Tests.Compute;

/// <summary>The FlashAttention variant of get_gemm_time for the five inner GEMMs of the fused kernels.</summary>
[TestFixture]
public class TiledGemmFlashTests
{
    [Test]
    public void EveryFlashRowMatchesTheReference()
    {
        var rows = GoldenData.ReadCsv("gemm_flash.csv");
        Assert.That(rows, Has.Count.EqualTo(60));
        var models = rows.Select(r => r["hw"]).Distinct().ToDictionary(hw => hw, hw =>
        {
            var device = GoldenData.LoadDevice(hw);
            return new TiledGemmModel(device.Hardware, device.ActivationBytes, device.KernelOverheadSeconds);
        });

        var mismatches = new List<string>();
        foreach (var row in rows)
        {
            var options = GemmOptions.ForFlashAttention(
                GoldenData.Number(row["read_bytes_l2"]), GoldenData.Number(row["write_bytes_l2"]));
            var estimate = models[row["hw"]].EstimateUncached(
                GoldenData.Integer(row["M"]), GoldenData.Integer(row["K"]), GoldenData.Integer(row["N"]), options);
            var a = estimate.AccessBytes;
            var ok = GoldenData.Close(estimate.TimeSeconds, GoldenData.Number(row["time_s"]), 1e-9)
                && GoldenData.Close(a.L0Bytes, GoldenData.Number(row["A0"]), 1e-12)
                && a.L2Bytes == GoldenData.Number(row["A2"])
                && a.DramBytes == GoldenData.Number(row["A3"])
                && (row["tied_same_access"] != "true" || a.L1Bytes == GoldenData.Number(row["A1"]));
            if (!ok)
            {
                mismatches.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{row["hw"]} {row["kernel_role"]} ({row["M"]},{row["K"]},{row["N"]}): {estimate}"));
            }
        }

        Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches));
    }

    [Test]
    public void FlashTimingHasNoOverheadAndNoDramTraffic()
    {
        var device = GoldenData.LoadDevice("a100");
        var model = new TiledGemmModel(device.Hardware, device.ActivationBytes, device.KernelOverheadSeconds);
        var estimate = model.EstimateUncached(128, 128, 128, GemmOptions.ForFlashAttention(32768, 32768));
        Assert.Multiple(() =>
        {
            Assert.That(estimate.AccessBytes.DramBytes, Is.Zero);
            Assert.That(estimate.AccessBytes.L2Bytes, Is.EqualTo(65536));
            Assert.That(estimate.TimeSeconds, Is.LessThan(device.KernelOverheadSeconds));
        });
    }
}
