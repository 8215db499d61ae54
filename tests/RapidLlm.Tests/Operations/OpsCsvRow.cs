using System.Globalization;

namespace RapidLlm.Tests.Operations;

/// <summary>One row of the golden <c>ops.csv</c>: a case × operator × direction.</summary>
internal sealed record OpsCsvRow(
    string Case,
    string Op,
    string Direction,
    double ComputeTime,
    double CommTime,
    double CommBytes,
    double Flops,
    double?[] Memory)
{
    public static IReadOnlyList<OpsCsvRow> Load(string path) =>
        File.ReadLines(path).Skip(1).Select(Parse).ToList();

    private static OpsCsvRow Parse(string line)
    {
        var f = line.Split(',');
        double N(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        double? M(string s) => s.Length == 0 ? null : N(s);
        return new OpsCsvRow(f[0], f[3], f[4], N(f[5]), N(f[6]), N(f[7]), N(f[8]), [M(f[9]), M(f[10]), M(f[11]), M(f[12])]);
    }
}
