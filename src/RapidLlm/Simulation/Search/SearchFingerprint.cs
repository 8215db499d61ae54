using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using RapidLlm.Simulation;

namespace RapidLlm.Search;

/// <summary>
/// A digest of what a search's candidates depend on: the template's hardware and model (every field, not the file
/// names), its energy accounting and single-stage policy, and the options but for the shard and the thread count.
/// Shards of one search share it; shards of two different searches almost surely do not.
/// </summary>
internal static class SearchFingerprint
{
    private const int MaxDepth = 64;

    public static string Of(SimulationTemplate template, SearchOptions options)
    {
        var text = new StringBuilder();
        Append(text, "hardware", template.Hardware, 0);
        Append(text, "model", template.Model, 0);
        Append(text, "energy", template.Energy, 0);
        Append(text, "single_stage", template.SingleStage, 0);
        Append(text, "options", options with { Shard = SearchShard.Whole, MaxDegreeOfParallelism = null }, 0);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }

    /// <summary>Writes <paramref name="value"/>'s state: scalars as invariant text, sequences item by item, objects field by field in name order.</summary>
    private static void Append(StringBuilder text, string name, object? value, int depth)
    {
        text.Append(name).Append('=');
        switch (value)
        {
            case null: text.Append("null;"); return;
            case double d: text.Append(d.ToString("R", CultureInfo.InvariantCulture)).Append(';'); return;
            case float f: text.Append(f.ToString("R", CultureInfo.InvariantCulture)).Append(';'); return;
            case string s: text.Append(s.Length).Append(':').Append(s).Append(';'); return;
            case Enum or bool or char: text.Append(value).Append(';'); return;
            case IFormattable number when value.GetType().IsPrimitive || value is decimal:
                text.Append(number.ToString(null, CultureInfo.InvariantCulture)).Append(';');
                return;
            case Delegate: text.Append("fn;"); return;
        }

        if (depth >= MaxDepth) throw new InvalidOperationException($"The search's settings nest deeper than {MaxDepth} levels at {name}.");
        var type = value.GetType();
        if (value is IEnumerable items)
        {
            text.Append('[');
            var i = 0;
            foreach (var item in items) Append(text, (i++).ToString(CultureInfo.InvariantCulture), item, depth + 1);
            text.Append("];");
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Lazy<>))
        {
            text.Append("lazy;"); // derived on demand from the fields beside it
            return;
        }

        text.Append(type.Name).Append('{');
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => f.Name, StringComparer.Ordinal))
            Append(text, field.Name, field.GetValue(value), depth + 1);
        text.Append("};");
    }
}
