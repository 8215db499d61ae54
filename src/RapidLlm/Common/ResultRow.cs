using System.Globalization;

namespace RapidLlm.Common;

/// <summary>One figure of a result: what it is, its value in SI base units, and that unit.</summary>
/// <param name="Metric">A short label, e.g. "time per batch".</param>
/// <param name="Value">The value in the unit's base (seconds, bytes, joules, tokens/s).</param>
/// <param name="Unit">The unit.</param>
public sealed record ResultRow(string Metric, double Value, ResultUnit Unit)
{
    /// <summary>The unit's symbol in machine-readable outputs: <c>s</c>, <c>B</c>, <c>J</c>, <c>tok/s</c>, <c>1</c> for fractions, empty for plain numbers.</summary>
    public string UnitSymbol => Unit switch
    {
        ResultUnit.Seconds => "s",
        ResultUnit.Bytes => "B",
        ResultUnit.Joules => "J",
        ResultUnit.TokensPerSecond => "tok/s",
        ResultUnit.Fraction => "1",
        _ => "",
    };

    /// <summary>The value for people, with a scaled unit: "6.68 s", "13.4 GiB", "53.7 tok/s", "12.5 %".</summary>
    public string Display => Unit switch
    {
        ResultUnit.Seconds => Quantity.Seconds(Value),
        ResultUnit.Bytes => Quantity.Bytes(Value),
        ResultUnit.Joules => Quantity.Joules(Value),
        ResultUnit.TokensPerSecond => Quantity.Rate(Value, "tok"),
        ResultUnit.Fraction => (Value * 100).ToString("F1", CultureInfo.InvariantCulture) + " %",
        _ => Value == Math.Floor(Value) && Math.Abs(Value) < 1e15
            ? Value.ToString("N0", CultureInfo.InvariantCulture)
            : Value.ToString("G6", CultureInfo.InvariantCulture),
    };
}
