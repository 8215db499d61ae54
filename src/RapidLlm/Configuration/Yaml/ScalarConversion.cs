using System.Globalization;

namespace RapidLlm.Configuration.Yaml;

/// <summary>Converts typed YAML nodes to CLR values; each method returns an explanation when it fails.</summary>
internal static class ScalarConversion
{
    public static bool TryInt(YamlNode node, out int value, out string problem)
    {
        value = 0;
        problem = "";
        if (node is YamlScalar { Value: var v })
        {
            if (v.FromUnit && UnitString.LooseUnitProblem(v.Text) is { } loose) { problem = loose; return false; }
            double number;
            switch (v.Kind)
            {
                case ScalarKind.Int: number = v.Int; break;
                case ScalarKind.Float: number = v.Float; break;
                case ScalarKind.Bool: problem = "expected an integer, not a boolean"; return false;
                case ScalarKind.Null: problem = "expected an integer, but the value is empty"; return false;
                default: problem = "expected an integer" + (UnitString.SizeHint(v.Text) is { } hint ? "; " + hint : ""); return false;
            }
            if (double.IsNaN(number) || Math.Floor(number) != number) { problem = "expected a whole number"; return false; }
            if (number is > int.MaxValue or < int.MinValue) { problem = "the integer is too large (at most 2147483647)"; return false; }
            value = (int)number;
            return true;
        }
        problem = "expected an integer, not a " + (node is YamlMapping ? "mapping" : "list");
        return false;
    }

    public static bool TryDouble(YamlNode node, out double value, out string problem)
    {
        value = 0;
        problem = "";
        if (node is YamlScalar { Value: var v })
        {
            if (v.FromUnit && UnitString.LooseUnitProblem(v.Text) is { } loose) { problem = loose; return false; }
            switch (v.Kind)
            {
                case ScalarKind.Int: value = v.Int; return true;
                case ScalarKind.Float: value = v.Float; return true;
                case ScalarKind.Bool: problem = "expected a number, not a boolean"; return false;
                case ScalarKind.Null: problem = "expected a number, but the value is empty"; return false;
                default:
                    problem = UnitString.SizeHint(v.Text) is { } hint
                        ? "expected a number or a size; " + hint
                        : "expected a number or a size such as '80 GB' or '400 Gb' (an integer and a binary prefix K, M, G or T; B = bytes, b = bits)";
                    return false;
            }
        }
        problem = "expected a number, not a " + (node is YamlMapping ? "mapping" : "list");
        return false;
    }

    public static bool TryBool(YamlNode node, out bool value, out string problem)
    {
        value = false;
        problem = "expected a boolean (true/false, yes/no, on/off, 1/0)";
        if (node is not YamlScalar { Value: var v }) return false;
        switch (v.Kind)
        {
            case ScalarKind.Bool: value = v.Bool; return true;
            case ScalarKind.Int when v.Int is 0 or 1: value = v.Int == 1; return true;
            case ScalarKind.String:
                switch (v.Text.Trim().ToLowerInvariant())
                {
                    case "1" or "true" or "yes" or "y" or "on": value = true; return true;
                    case "0" or "false" or "no" or "n" or "off": value = false; return true;
                }
                return false;
            default: return false;
        }
    }

    /// <summary>The text of a scalar as the reference's <c>str()</c> would give it (numbers in Python form).</summary>
    public static string? TextOf(YamlNode node) => node is YamlScalar s
        ? s.Value.Kind switch
        {
            ScalarKind.Null => null,
            ScalarKind.String => s.Value.Text,
            ScalarKind.Int => s.Value.Int.ToString(CultureInfo.InvariantCulture),
            _ => s.Text,
        }
        : null;
}
