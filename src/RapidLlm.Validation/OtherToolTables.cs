using System.Globalization;

namespace RapidLlm.Validation;

/// <summary>
/// Reads the other simulators' published predictions that sit next to the measurements (LLMCompass, Vidur, GenZ),
/// keyed so a suite builder can attach them to its points. Missing files simply give no predictions.
/// </summary>
internal sealed class OtherToolTables
{
    private readonly Dictionary<(string Tool, string Key, ValidationMetric Metric), double> _values = [];

    public void Add(string tool, string key, ValidationMetric metric, double? value)
    {
        if (value is { } v && !double.IsNaN(v)) _values[(tool, key, metric)] = v;
    }

    public IEnumerable<ToolPrediction> For(string key, ValidationMetric metric, params string[] tools) =>
        tools.Where(t => _values.ContainsKey((t, key, metric))).Select(t => new ToolPrediction(t, _values[(t, key, metric)]));

    public static bool TryRead(string path, out CsvTable table)
    {
        table = null!;
        if (!File.Exists(path)) return false;
        table = CsvTable.Read(path);
        return true;
    }

    public static string Key(params object[] parts) => string.Join('|', parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)));
}
