using System.Globalization;

namespace RapidLlm.Configuration.Yaml;

/// <summary>The type a scalar has after YAML 1.1 resolution and the reference's unit conversion.</summary>
internal enum ScalarKind
{
    Null,
    Bool,
    Int,
    Float,
    String,
}

/// <summary>A typed scalar value.</summary>
internal readonly record struct ScalarValue(ScalarKind Kind, bool Bool, long Int, double Float, string Text)
{
    /// <summary>True when the number was read from a size string such as "80 GB".</summary>
    public bool FromUnit { get; init; }

    public static ScalarValue Null(string text) => new(ScalarKind.Null, false, 0, 0, text);
    public static ScalarValue OfBool(bool value, string text) => new(ScalarKind.Bool, value, 0, 0, text);
    public static ScalarValue OfInt(long value, string text) => new(ScalarKind.Int, false, value, value, text);
    public static ScalarValue OfFloat(double value, string text) => new(ScalarKind.Float, false, 0, value, text);
    public static ScalarValue OfString(string text) => new(ScalarKind.String, false, 0, 0, text);

    public bool IsNumber => Kind is ScalarKind.Int or ScalarKind.Float;

    /// <summary>The value as the reference would print it (for messages).</summary>
    public string Display => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Bool => Bool ? "true" : "false",
        _ => Text,
    };

    public override string ToString() => Kind switch
    {
        ScalarKind.Int => Int.ToString(CultureInfo.InvariantCulture),
        ScalarKind.Float => Float.ToString("R", CultureInfo.InvariantCulture),
        _ => Display,
    };
}
