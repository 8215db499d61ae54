using System.Globalization;
using System.Text;
using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Memory;

namespace RapidLlm.Search;

/// <summary>One setting of a sweep point: the axis and the value, as text.</summary>
/// <param name="Axis">The axis name (a YAML path or a builder axis's name).</param>
/// <param name="Value">The value.</param>
public sealed record SweepSetting(string Axis, string Value);

/// <summary>One point of a sweep: its settings and its figures, or why it could not be estimated.</summary>
/// <param name="Settings">One setting per axis, in axis order.</param>
/// <param name="Figures">Time, throughput, MFU, memory and energy; null when the point is invalid.</param>
/// <param name="Error">Why the point is invalid (the validator's sentences); null when it was estimated.</param>
public sealed record SweepPoint(EquatableArray<SweepSetting> Settings, SearchCandidate? Figures, string? Error);

/// <summary>The outcome of a <see cref="SettingSweep"/>: every point in grid order. Plain immutable data with value equality.</summary>
/// <param name="Axes">The axis names, in order.</param>
/// <param name="Points">Every point; the last axis varies fastest.</param>
public sealed record SweepResult(EquatableArray<string> Axes, EquatableArray<SweepPoint> Points)
{
    /// <summary>The points that were estimated and fit in memory.</summary>
    public IEnumerable<SweepPoint> Feasible => Points.Where(p => p.Figures?.Fits == true);

    /// <inheritdoc />
    public override string ToString() => $"Sweep over {string.Join(" × ", Axes)}: {Points.Count} points, {Points.Count(p => p.Error is null)} estimated, {Feasible.Count()} fit";

    /// <summary>A Markdown table: one row per point with its settings and figures.</summary>
    /// <returns>Markdown ending in a newline.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder("### Sweep\n\n| ");
        text.Append(string.Join(" | ", Axes)).Append(" | time | TTFT | tokens/s | MFU | peak per GPU | fits |\n|");
        text.Append(string.Concat(Enumerable.Repeat("---|", Axes.Count))).Append("---:|---:|---:|---:|---:|---|\n");
        foreach (var p in Points)
        {
            text.Append("| ").Append(string.Join(" | ", p.Settings.Select(s => s.Value))).Append(" | ");
            if (p.Figures is not { } f)
            {
                text.Append("invalid: ").Append(p.Error!.Split('\n')[0].Replace("|", "\\|", StringComparison.Ordinal)).Append(" | | | | | |\n");
                continue;
            }

            var time = f.TimePerBatchSeconds ?? f.TotalSeconds ?? 0;
            text.Append(Quantity.Seconds(time)).Append(" | ").Append(f.TimeToFirstTokenSeconds is { } t ? Quantity.Seconds(t) : "").Append(" | ")
                .Append(Quantity.Rate(f.TokensPerSecond, "tok")).Append(" | ")
                .Append((f.ModelFlopsUtilization * 100).ToString("F1", CultureInfo.InvariantCulture)).Append(" % | ")
                .Append(Quantity.Bytes(f.PeakMemoryBytes)).Append(" | ").Append(f.Fits ? "yes" : "no").Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>CSV: the axes, then <c>time_s</c>, <c>ttft_s</c>, <c>tokens_per_s</c>, <c>mfu</c>, <c>peak_gib</c>, <c>fits</c>, <c>energy_j</c>, <c>error</c>.</summary>
    /// <returns>CSV text ending in a newline.</returns>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Axes.Select(Escape))).Append(",time_s,ttft_s,tokens_per_s,mfu,peak_gib,fits,energy_j,error\n");
        foreach (var p in Points)
        {
            text.Append(string.Join(',', p.Settings.Select(s => Escape(s.Value)))).Append(',');
            if (p.Figures is { } f)
            {
                text.Append(R(f.TimePerBatchSeconds ?? f.TotalSeconds ?? double.NaN)).Append(',').Append(R(f.TimeToFirstTokenSeconds ?? double.NaN)).Append(',')
                    .Append(R(f.TokensPerSecond)).Append(',').Append(R(f.ModelFlopsUtilization)).Append(',').Append(R(f.PeakMemoryBytes / DeviceMemory.BytesPerGib)).Append(',')
                    .Append(f.Fits ? "true" : "false").Append(',').Append(R(f.EnergyJoules)).Append(",\n");
            }
            else
            {
                text.Append(",,,,,,,").Append(Escape(p.Error ?? "")).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>JSON <c>{"schema": "rapid-llm-sweep/1", "axes": […], "points": [{"settings": {…}, …figures or "error"}]}</c>.</summary>
    /// <param name="indented">Indent the output; default true.</param>
    /// <returns>JSON text.</returns>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            json.WriteStartObject();
            json.WriteString("schema", "rapid-llm-sweep/1");
            json.WriteStartArray("axes");
            foreach (var a in Axes) json.WriteStringValue(a);
            json.WriteEndArray();
            json.WriteStartArray("points");
            foreach (var p in Points)
            {
                json.WriteStartObject();
                json.WriteStartObject("settings");
                foreach (var s in p.Settings) json.WriteString(s.Axis, s.Value);
                json.WriteEndObject();
                if (p.Figures is { } f)
                {
                    Number(json, "time_s", f.TimePerBatchSeconds ?? f.TotalSeconds ?? double.NaN);
                    if (f.TimeToFirstTokenSeconds is { } ttft) Number(json, "ttft_s", ttft);
                    Number(json, "tokens_per_s", f.TokensPerSecond);
                    Number(json, "mfu", f.ModelFlopsUtilization);
                    Number(json, "peak_gib", f.PeakMemoryBytes / DeviceMemory.BytesPerGib);
                    json.WriteBoolean("fits", f.Fits);
                    Number(json, "energy_j", f.EnergyJoules);
                }
                else
                {
                    json.WriteString("error", p.Error);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Number(Utf8JsonWriter json, string key, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(key, value);
        else json.WriteNull(key);
    }

    private static string R(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
