using RapidLlm.Configuration;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace RapidLlm.Validation;

/// <summary>
/// Reads measured GPU entries from a folder laid out as the project's GPU ground truth: <c>*_measured.jsonl</c> (one
/// JSON object per measurement, <c>section</c>, <c>name</c>, shape fields, <c>seconds</c>) and <c>cases/&lt;entry&gt;/case.json</c>
/// (the quantity, the model YAMLs to run and, in <c>hw</c>, a hardware file whose difference from
/// <c>cases/hw/&lt;card&gt;.yaml</c> is the case's hardware overlay).
/// </summary>
public static class GpuMeasurementSet
{
    private static readonly Dictionary<string, GpuQuantity> Quantities = new(StringComparer.Ordinal)
    {
        ["gemm_fwd"] = GpuQuantity.GemmForward,
        ["gemm_fwdbwd"] = GpuQuantity.GemmForwardBackward,
        ["prefill"] = GpuQuantity.Prefill,
        ["decode_first_step"] = GpuQuantity.DecodeStep,
        ["layer_fwd"] = GpuQuantity.LayerForward,
        ["layer_fwdbwd"] = GpuQuantity.LayerForwardBackward,
        ["train_step"] = GpuQuantity.TrainingStep,
    };

    /// <summary>Loads every case of <paramref name="folder"/> that has a measurement.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="device">The card's short name (its key in <c>case.json</c>'s <c>hw</c>), for example <c>H100</c>.</param>
    /// <returns>The entries, ordered by name.</returns>
    /// <exception cref="FormatException">A case names a quantity or a measurement that does not exist.</exception>
    public static IReadOnlyList<GpuMeasurement> Load(string folder, string device)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(device);
        var measurements = Directory.EnumerateFiles(folder, "*_measured.jsonl").SelectMany(File.ReadLines)
            .Where(line => line.Trim().Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
        var cases = Path.Combine(folder, "cases");
        var key = device.ToLowerInvariant();
        var baseHardware = Path.Combine(cases, "hw", key + ".yaml");
        var entries = new List<GpuMeasurement>();
        foreach (var caseFile in Directory.EnumerateFiles(cases, "case.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var dir = Path.GetDirectoryName(caseFile)!;
            using var doc = JsonDocument.Parse(File.ReadAllText(caseFile));
            var c = doc.RootElement;
            var name = c.GetProperty("name").GetString()!;
            var quantityText = c.GetProperty("quantity").GetString()!;
            if (!Quantities.TryGetValue(quantityText, out var quantity))
                throw new FormatException($"{caseFile}: unknown quantity '{quantityText}'.");
            var runs = c.GetProperty("runs").EnumerateObject()
                .ToImmutableSortedDictionary(p => p.Name, p => Path.Combine(dir, p.Value.GetString()!), StringComparer.Ordinal);
            var overlay = "";
            if (c.TryGetProperty("hw", out var hw) && hw.TryGetProperty(key, out var hwFile))
                overlay = YamlOverlay.Difference(File.ReadAllText(baseHardware), File.ReadAllText(Path.Combine(dir, hwFile.GetString()!)));
            var section = c.GetProperty("section").GetString()!;
            var seconds = Measured(measurements, c, section)
                ?? throw new FormatException($"{caseFile}: no measurement named '{c.GetProperty("entry").GetString()}' in section {section}.");
            entries.Add(new GpuMeasurement(device, name, section, quantity, seconds, runs, overlay));
        }

        return entries;
    }

    // The measurement with the case's section and entry name, and for GEMMs the same M, K, N.
    private static double? Measured(List<JsonElement> measurements, JsonElement c, string section)
    {
        var entry = c.GetProperty("entry").GetString();
        var match = c.TryGetProperty("match", out var m) ? m.EnumerateObject().ToList() : [];
        foreach (var row in measurements)
        {
            if (row.GetProperty("section").GetString() != section || row.GetProperty("name").GetString() != entry) continue;
            if (!match.All(f => row.TryGetProperty(f.Name, out var v) && v.GetRawText() == f.Value.GetRawText())) continue;
            if (row.TryGetProperty("seconds", out var s)) return s.GetDouble();
        }

        return null;
    }

    /// <summary>Summaries per section (gemm, prefill, decode, layer, train) and over all entries.</summary>
    /// <param name="results">Per-entry results.</param>
    /// <returns>Section name (and <c>all</c>) with the error summary, in first-seen order.</returns>
    public static IReadOnlyList<KeyValuePair<string, ErrorStatistics>> BySection(IEnumerable<GpuPointResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToList();
        var sections = list.GroupBy(r => r.Measurement.Section, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, ErrorStatistics>(g.Key, ErrorStatistics.From(g.Select(r => r.SignedErrorPercent))))
            .ToList();
        sections.Add(new KeyValuePair<string, ErrorStatistics>("all", ErrorStatistics.From(list.Select(r => r.SignedErrorPercent))));
        return sections;
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
