using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RapidLlm.Common;

/// <summary>
/// A result as a titled list of figures with units: the one shape every estimate prints from, so its text, Markdown,
/// CSV and JSON forms always agree.
/// </summary>
/// <param name="Title">What the figures describe, e.g. "Training estimate".</param>
/// <param name="Rows">The figures, in reading order.</param>
public sealed record ResultTable(string Title, IReadOnlyList<ResultRow> Rows)
{
    /// <summary>Aligned plain text: the title, then one "metric  value" line per row.</summary>
    /// <returns>Text without a final newline.</returns>
    public override string ToString()
    {
        var width = Rows.Count == 0 ? 0 : Rows.Max(r => r.Metric.Length);
        var text = new StringBuilder(Title);
        foreach (var row in Rows) text.Append('\n').Append("  ").Append(row.Metric.PadRight(width)).Append("  ").Append(row.Display);
        return text.ToString();
    }

    /// <summary>A Markdown table with a heading: metric, value with its unit.</summary>
    /// <returns>Markdown ending in a newline.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("### ").Append(Title).Append("\n\n| Metric | Value |\n|---|---:|\n");
        foreach (var row in Rows) text.Append("| ").Append(row.Metric).Append(" | ").Append(row.Display).Append(" |\n");
        return text.ToString();
    }

    /// <summary>CSV with a header <c>metric,value,unit</c>; values are in SI base units with full precision (round-trip format).</summary>
    /// <returns>CSV text ending in a newline.</returns>
    public string ToCsv()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(writer);
        return writer.ToString();
    }

    /// <summary>Writes the CSV form (see <see cref="ToCsv"/>).</summary>
    /// <param name="writer">The destination; lines end in <c>\n</c>.</param>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("metric,value,unit\n");
        foreach (var row in Rows)
            writer.Write($"{Escape(row.Metric)},{row.Value.ToString("R", CultureInfo.InvariantCulture)},{row.UnitSymbol}\n");
    }

    /// <summary>
    /// JSON: <c>{"title": …, "metrics": [{"metric": …, "value": …, "unit": …}, …]}</c>, values in SI base units.
    /// Non-finite values are written as null.
    /// </summary>
    /// <param name="indented">Indent the output; default true.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        WriteJson(stream, indented);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the JSON form (see <see cref="ToJson"/>) as UTF-8.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="indented">Indent the output; default true.</param>
    public void WriteJson(Stream stream, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented });
        json.WriteStartObject();
        json.WriteString("title", Title);
        json.WriteStartArray("metrics");
        foreach (var row in Rows)
        {
            json.WriteStartObject();
            json.WriteString("metric", row.Metric);
            if (double.IsFinite(row.Value)) json.WriteNumber("value", row.Value);
            else json.WriteNull("value");
            json.WriteString("unit", row.UnitSymbol);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
