using System.Globalization;
using System.Text;

namespace RapidLlm.Validation;

/// <summary>
/// A small CSV reader for the validation data files: a header row, comma separators, double-quoted fields that may
/// contain commas, an optional byte-order mark and no trailing newline required.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string source, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        Source = source;
        _columns = header.Select((name, i) => (name: name.Trim(), i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        Rows = rows.Select(r => new CsvRow(this, r)).ToList();
    }

    public string Source { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    public static CsvTable Read(string path)
    {
        var lines = File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0) throw new FormatException($"{path}: the file is empty.");
        var header = Split(lines[0].TrimStart('\uFEFF'));
        return new CsvTable(path, header, lines.Skip(1).Select(Split).ToList());
    }

    internal int Column(string name) =>
        _columns.TryGetValue(name, out var index) ? index : throw new FormatException($"{Source}: no column '{name}'.");

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }

        fields.Add(field.ToString());
        return fields;
    }
}

/// <summary>One data row of a <see cref="CsvTable"/>, read by column name.</summary>
internal sealed class CsvRow(CsvTable table, IReadOnlyList<string> fields)
{
    public string Text(string column)
    {
        var index = table.Column(column);
        return index < fields.Count ? fields[index].Trim() : "";
    }

    public double Number(string column) =>
        double.TryParse(Text(column), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{table.Source}: column '{column}' holds '{Text(column)}', not a number.");

    public double? OptionalNumber(string column) =>
        table.HasColumn(column) && double.TryParse(Text(column), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    public int Integer(string column) => checked((int)Math.Round(Number(column)));
}
