using System.Globalization;
using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Tests.Operations;

/// <summary>
/// GEMM, roofline and collective results recorded from the reference (317a2cb) for exactly the calls one golden
/// case makes. Looking them up by their exact arguments tests the operator math on its own: a missing key means
/// the C# code asked for a different primitive than the reference did.
/// </summary>
internal sealed class RecordedPrimitives : IGemmCostModel, IRooflineModel, ICollectiveCostModel
{
    private readonly Dictionary<(long, long, long, bool, bool, double, double), double[]> _gemm = new();
    private readonly Dictionary<(double, double, int), double> _roofline = new();
    private readonly Dictionary<(string, double, int, double, double), double> _collective = new();

    public RecordedPrimitives(JsonElement root)
    {
        foreach (var p in root.GetProperty("gemm").EnumerateObject())
        {
            var k = p.Name.Split(',');
            _gemm[(long.Parse(k[0]), long.Parse(k[1]), long.Parse(k[2]), k[3] == "1", k[4] == "1", D(k[5]), D(k[6]))] =
                p.Value.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        }
        foreach (var p in root.GetProperty("roofline").EnumerateObject())
        {
            var k = p.Name.Split(',');
            _roofline[(D(k[0]), D(k[1]), int.Parse(k[2], CultureInfo.InvariantCulture))] = p.Value.GetDouble();
        }
        foreach (var p in root.GetProperty("collective").EnumerateObject())
        {
            var k = p.Name.Split(',');
            _collective[(k[0], D(k[1]), int.Parse(k[2], CultureInfo.InvariantCulture), D(k[3]), D(k[4]))] =
                p.Value.ValueKind == JsonValueKind.String ? D(p.Value.GetString()!) : p.Value.GetDouble();
        }
    }

    private static double D(string s) => s switch
    {
        "inf" => double.PositiveInfinity,
        _ => double.Parse(s, CultureInfo.InvariantCulture),
    };

    public GemmCost Estimate(long m, long k, long n, bool includeKernelOverhead)
    {
        var r = Lookup(_gemm, (m, k, n, false, !includeKernelOverhead, 0.0, 0.0), "gemm");
        return new GemmCost(r[0], new EquatableArray<double>(r.Skip(1)));
    }

    public double FlashTileSeconds(long m, long k, long n, double readBytesL2, double writeBytesL2) =>
        Lookup(_gemm, (m, k, n, true, false, readBytesL2, writeBytesL2), "flash gemm")[0];

    public double Seconds(double flops, double bytes, int memoryLevel) =>
        Lookup(_roofline, (flops, bytes, memoryLevel), "roofline");

    public double Seconds(CollectiveKind kind, double sizeBytes, int participants, Link link)
    {
        // The reference's collective returns 0 without timing anything for these.
        if (participants <= 1 || sizeBytes <= 0) return 0.0;
        return Lookup(_collective,
            (TransformerGraphOps.KindName(kind), sizeBytes, participants, link.BandwidthBytesPerSecond, link.LatencySeconds),
            "collective");
    }

    private static TValue Lookup<TKey, TValue>(Dictionary<TKey, TValue> table, TKey key, string what) where TKey : notnull =>
        table.TryGetValue(key, out var value)
            ? value
            : throw new KeyNotFoundException($"The reference made no {what} call with arguments {key}.");
}
