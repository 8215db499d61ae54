using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Network;
using RapidLlm.Tests.Compute;

namespace RapidLlm.Tests.Network;

[TestFixture]
public class AnalyticalCollectivesTests
{
    private static readonly GoldenData.Device A100 = GoldenData.LoadDevice("a100");

    private static AnalyticalCollectives Model() => new(A100.Hardware, A100.KernelOverheadSeconds);

    private static CollectiveKind ParseKind(string kind) => kind switch
    {
        "all_reduce" => CollectiveKind.AllReduce,
        "reduce_scatter" => CollectiveKind.ReduceScatter,
        "all_gather" => CollectiveKind.AllGather,
        "all_to_all" => CollectiveKind.AllToAll,
        "pipeline" => CollectiveKind.PointToPoint,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [Test]
    public void EveryGoldenRowMatchesTheReference()
    {
        var model = Model();
        var rows = GoldenData.ReadCsv("collectives.csv");
        Assert.That(rows, Has.Count.EqualTo(3140));
        var mismatches = new List<string>();
        foreach (var row in rows)
        {
            var link = new Link(GoldenData.Number(row["bandwidth_Bps"]), GoldenData.Number(row["latency_s"]));
            var expected = GoldenData.Number(row["time_s"]);
            var actual = model.TimeSeconds(
                ParseKind(row["kind"]), GoldenData.Number(row["size_bytes"]), (int)GoldenData.Integer(row["participants"]), link);
            if (!GoldenData.Close(actual, expected, 1e-9))
            {
                mismatches.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{row["kind"]} {row["size_bytes"]} B p={row["participants"]} {row["link"]}: {actual:R} vs {expected:R}"));
            }
        }

        Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches.Take(40)));
    }

    [TestCase(CollectiveKind.AllReduce, 0.015081024205942622)]
    [TestCase(CollectiveKind.ReduceScatter, 0.007581017289959016)]
    [TestCase(CollectiveKind.AllGather, 0.030036006915983602)]
    [TestCase(CollectiveKind.AllToAll, 0.007514999999999999)]
    [TestCase(CollectiveKind.PointToPoint, 0.010005)]
    public void ReferenceMapExampleOneGibOverFourRanks(CollectiveKind kind, double expectedSeconds)
    {
        var link = new Link(107374182400, 5e-6);
        Assert.That(Model().TimeSeconds(kind, 1L << 30, 4, link), Is.EqualTo(expectedSeconds).Within(1e-12).Percent);
    }

    [TestCase(CollectiveKind.AllReduce)]
    [TestCase(CollectiveKind.AllGather)]
    [TestCase(CollectiveKind.PointToPoint)]
    public void NothingToSendCostsNothing(CollectiveKind kind)
    {
        var model = Model();
        var link = new Link(1e9, 1e-6);
        Assert.Multiple(() =>
        {
            Assert.That(model.TimeSeconds(kind, 1e6, 1, link), Is.Zero);
            Assert.That(model.TimeSeconds(kind, 0, 8, link), Is.Zero);
            Assert.That(model.TimeSeconds(kind, -3, 8, link), Is.Zero);
            Assert.That(model.TimeSeconds(kind, 1e6, 8, new Link(0, 1e-6)), Is.EqualTo(double.PositiveInfinity));
        });
    }

    [Test]
    public void FractionalSizesAreRoundedUpToWholeBytes()
    {
        var model = Model();
        var link = new Link(1e9, 1e-6);
        Assert.That(
            model.TimeSeconds(CollectiveKind.AllReduce, 1536.25, 4, link),
            Is.EqualTo(model.TimeSeconds(CollectiveKind.AllReduce, 1537, 4, link)));
    }
}
