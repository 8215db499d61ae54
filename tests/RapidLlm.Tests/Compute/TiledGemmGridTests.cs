using System.Globalization;
using RapidLlm.Compute;

namespace RapidLlm.Tests.Compute;

/// <summary>Every row of the reference's get_gemm_time grid (4 devices × 4 dataflows × 232 shapes).</summary>
[TestFixture]
public class TiledGemmGridTests
{
    private static readonly Lazy<IReadOnlyList<IReadOnlyDictionary<string, string>>> Rows =
        new(() => GoldenData.ReadCsv("gemm_grid.csv"));

    private static IEnumerable<TestCaseData> DeviceDataflowCases() =>
        from hw in new[] { "a100", "h100", "v100", "waferscale" }
        from dataflow in new[] { "best", "wst", "ast", "ost" }
        select new TestCaseData(hw, dataflow).SetName($"GemmGrid_{hw}_{dataflow}");

    [TestCaseSource(nameof(DeviceDataflowCases))]
    public void MatchesReferenceOnEveryShape(string hw, string dataflow)
    {
        var device = GoldenData.LoadDevice(hw, GoldenData.ParseDataflow(dataflow));
        var model = new TiledGemmModel(device.Hardware, device.ActivationBytes, device.KernelOverheadSeconds);
        var rows = Rows.Value.Where(r => r["hw"] == hw && r["dataflow"] == dataflow).ToList();
        Assert.That(rows, Has.Count.EqualTo(232));

        var mismatches = new List<string>();
        foreach (var row in rows)
        {
            long m = GoldenData.Integer(row["M"]), k = GoldenData.Integer(row["K"]), n = GoldenData.Integer(row["N"]);
            var estimate = model.EstimateUncached(m, k, n);
            var a = estimate.AccessBytes;
            var problems = new List<string>();
            void Check(string what, double actual, double expected, double tolerance)
            {
                if (!GoldenData.Close(actual, expected, tolerance))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {actual:R} vs {expected:R}"));
                }
            }

            Check("time", estimate.TimeSeconds, GoldenData.Number(row["time_s"]), 1e-9);
            Check("A0", a.L0Bytes, GoldenData.Number(row["A0"]), 1e-12);
            Check("A2", a.L2Bytes, GoldenData.Number(row["A2"]), 0);
            Check("A3", a.DramBytes, GoldenData.Number(row["A3"]), 0);
            var a1Min = GoldenData.Number(row["tied_A1_min"]);
            var a1Max = GoldenData.Number(row["tied_A1_max"]);
            if (a.L1Bytes < a1Min || a.L1Bytes > a1Max)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"A1 {a.L1Bytes:R} outside [{a1Min:R}, {a1Max:R}]"));
            }

            // The golden canonical winner uses the same deterministic tie rule as the model.
            Check("canon A1", a.L1Bytes, GoldenData.Number(row["canon_A1"]), 0);
            var canonL1 = new GemmTile(
                GoldenData.Integer(row["canon_l1_M"]), GoldenData.Integer(row["canon_l1_K"]), GoldenData.Integer(row["canon_l1_N"]));
            var canonL2 = new GemmTile(
                GoldenData.Integer(row["canon_l2_M"]), GoldenData.Integer(row["canon_l2_K"]), GoldenData.Integer(row["canon_l2_N"]));
            if (estimate.L1Tile != canonL1 || estimate.L2Tile != canonL2)
            {
                problems.Add($"tiles L1 {estimate.L1Tile} L2 {estimate.L2Tile} vs canonical L1 {canonL1} L2 {canonL2}");
            }

            if ((int)estimate.InnerLoop != GoldenData.Integer(row["canon_inner_code"]))
            {
                problems.Add($"inner {(int)estimate.InnerLoop} vs canonical {row["canon_inner_code"]}");
            }

            if (problems.Count > 0)
            {
                mismatches.Add($"({m},{k},{n}) {row["category"]}: {string.Join("; ", problems)}");
            }
        }

        Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {rows.Count} rows differ:\n{string.Join("\n", mismatches.Take(40))}");
    }
}
