using System.Collections.Immutable;
using System.Text.Json;

namespace RapidLlm.Validation;

/// <summary>
/// One measured kernel microbenchmark that is not a model quantity of its own (FlashAttention, elementwise and norm
/// kernels, the copy ceiling), used to fit the parameters of that kernel: its section, name, shape fields and median.
/// </summary>
/// <param name="Device">The card.</param>
/// <param name="Section">attention, elementwise or ceiling.</param>
/// <param name="Name">The measurement's name, for example <c>sdpa_causal_fwd_b4_s4096</c>.</param>
/// <param name="Shape">Numeric fields of the row (B, S, heads, head_dim, …).</param>
/// <param name="MeasuredSeconds">The measured median.</param>
public sealed record GpuKernelMeasurement(
    string Device, string Section, string Name, ImmutableSortedDictionary<string, double> Shape, double MeasuredSeconds)
{
    /// <summary>The kernel sections this record covers.</summary>
    public static IReadOnlyList<string> Sections { get; } = ["attention", "elementwise", "ceiling"];

    /// <summary>Reads the kernel rows of every <c>*_measured.jsonl</c> in <paramref name="folder"/>.</summary>
    /// <param name="folder">The measurement folder.</param>
    /// <param name="device">The card's short name.</param>
    public static IReadOnlyList<GpuKernelMeasurement> Load(string folder, string device)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var rows = new List<GpuKernelMeasurement>();
        foreach (var line in Directory.EnumerateFiles(folder, "*_measured.jsonl").Order(StringComparer.Ordinal).SelectMany(File.ReadLines))
        {
            if (line.Trim().Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            var section = r.GetProperty("section").GetString()!;
            if (!Sections.Contains(section) || !r.TryGetProperty("seconds", out var seconds)) continue;
            var shape = r.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Number && p.Name is not ("seconds" or "min" or "max" or "tflops" or "tbps"))
                .ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
            rows.Add(new GpuKernelMeasurement(device, section, r.GetProperty("name").GetString()!, shape, seconds.GetDouble()));
        }

        return rows;
    }
}
