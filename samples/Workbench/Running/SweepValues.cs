using System.Globalization;
using System.Text.RegularExpressions;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Running;

/// <summary>
/// Reads the values a user types for a sweep axis: a comma-separated list (<c>1, 2, 4, 8</c>, <c>40 GB, 80 GB</c>),
/// where an integer item may be a range, <c>1..8</c> (every integer) or <c>1..64*2</c> (doubling).
/// </summary>
public static partial class SweepValues
{
    /// <summary>Parses the text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="field">The field swept.</param>
    /// <param name="maxCount">The most values allowed.</param>
    /// <param name="error">Why the text cannot be used, or null.</param>
    /// <returns>The values, as YAML scalars, without repeats.</returns>
    public static IReadOnlyList<string> Parse(string text, FormField field, int maxCount, out string? error)
    {
        error = null;
        var values = new List<string>();
        foreach (var item in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = Range().Match(item);
            if (range.Success && field.Kind is FieldKind.Integer or FieldKind.Choice)
            {
                if (!long.TryParse(range.Groups[1].Value, CultureInfo.InvariantCulture, out var from)
                    || !long.TryParse(range.Groups[2].Value, CultureInfo.InvariantCulture, out var to))
                {
                    error = $"'{item}' is not a range of whole numbers";
                    return [];
                }

                var factor = range.Groups[3].Success ? long.Parse(range.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
                if (from > to || (factor is 1 or < 0) || (factor > 1 && from < 1))
                {
                    error = $"'{item}' is not a range: write from..to (every integer) or from..to*k (multiplying by k > 1, from ≥ 1)";
                    return [];
                }

                for (var v = from; v <= to; v = factor > 1 ? v * factor : v + 1)
                {
                    values.Add(v.ToString(CultureInfo.InvariantCulture));
                    if (values.Count > maxCount) break;
                }
            }
            else
            {
                values.Add(item);
            }

            if (values.Count > maxCount)
            {
                error = $"more than {maxCount} values";
                return [];
            }
        }

        var distinct = values.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0) error = "give at least one value";
        return distinct;
    }

    [GeneratedRegex(@"^(-?\d+)\s*\.\.\s*(-?\d+)(?:\s*\*\s*(\d+))?$")]
    private static partial Regex Range();
}
