using System.Text.Json;
using RapidLlm.Compute;

namespace RapidLlm.Tests.Compute;

/// <summary>The L2 and L1 tile candidate sets against the reference's (gemm_tile_sets.json, A100, 60 shapes).</summary>
[TestFixture]
public class MaximalTileSetTests
{
    [Test]
    public void TileSetsMatchTheReferenceAsSets()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(GoldenData.PathOf("gemm_tile_sets.json")));
        var root = document.RootElement;
        var l2Capacity = root.GetProperty("L2_size_per_bundle").GetDouble();
        var l1Capacity = root.GetProperty("L1_size_per_bundle").GetDouble();
        var elementBytes = root.GetProperty("precision_bytes").GetDouble();
        var mismatches = new List<string>();
        var shapes = 0;
        foreach (var shape in root.GetProperty("shapes").EnumerateArray())
        {
            shapes++;
            long m = shape.GetProperty("M").GetInt64(), k = shape.GetProperty("K").GetInt64(), n = shape.GetProperty("N").GetInt64();
            var l2 = Collect(m, k, n, 0, 0, 0, elementBytes, l2Capacity);
            var expectedL2 = shape.GetProperty("T2_order").EnumerateArray().Select(ParseTile).ToHashSet();
            if (!l2.SetEquals(expectedL2))
            {
                mismatches.Add($"T2 of ({m},{k},{n})");
            }

            foreach (var entry in shape.GetProperty("T1_order_per_T2").EnumerateArray())
            {
                var x = ParseTile(entry[0]);
                var l1 = Collect(
                    m, k, n,
                    MaximalTileSet.ChainLength(m) - MaximalTileSet.ChainLength(x.M),
                    MaximalTileSet.ChainLength(k) - MaximalTileSet.ChainLength(x.K),
                    MaximalTileSet.ChainLength(n) - MaximalTileSet.ChainLength(x.N),
                    elementBytes, l1Capacity);
                if (!l1.SetEquals(entry[1].EnumerateArray().Select(ParseTile)))
                {
                    mismatches.Add($"T1{x} of ({m},{k},{n})");
                }
            }
        }

        Assert.That(shapes, Is.EqualTo(60));
        Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches));
    }

    [Test]
    public void TilesComeOutSortedAndFit()
    {
        var tiles = Collect(4096, 4096, 11008, 0, 0, 0, 2.0, 41943040.0).ToList();
        Assert.That(tiles, Is.Not.Empty);
        Assert.That(tiles, Is.Ordered.By(nameof(GemmTile.M)).Then.By(nameof(GemmTile.K)).Then.By(nameof(GemmTile.N)));
        Assert.That(tiles.All(t => MaximalTileSet.Fits(t.M, t.K, t.N, 2.0, 41943040.0)), Is.True);
    }

    private static HashSet<GemmTile> Collect(long m, long k, long n, int i0, int j0, int l0, double elementBytes, double capacity)
    {
        var lenM = MaximalTileSet.ChainLength(m);
        var lenK = MaximalTileSet.ChainLength(k);
        var firstFit = new byte[lenM * lenK];
        MaximalTileSet.FirstFittingN(m, k, n, elementBytes, capacity, firstFit);
        var buffer = new GemmTile[lenM * lenK];
        var count = MaximalTileSet.Collect(m, k, n, i0, j0, l0, firstFit, buffer);
        return buffer.Take(count).ToHashSet();
    }

    private static GemmTile ParseTile(JsonElement tile) => new(tile[0].GetInt64(), tile[1].GetInt64(), tile[2].GetInt64());
}
