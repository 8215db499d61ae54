namespace RapidLlm.Tests.Operations;

/// <summary>The comparison used against the golden numbers.</summary>
internal static class Parity
{
    public const double RelativeTolerance = 1e-9;

    public static bool Close(double expected, double actual) =>
        expected == actual
        || Math.Abs(expected - actual) <= RelativeTolerance * Math.Max(Math.Abs(expected), Math.Abs(actual));
}
