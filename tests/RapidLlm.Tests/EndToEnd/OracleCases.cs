using System.Globalization;
using System.Text;

namespace RapidLlm.Tests.EndToEnd;

/// <summary>The reference's end-to-end results (data/oracle/results.csv) and the case files beside them.</summary>
internal static class OracleCases
{
    public static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "oracle");

    public static string CaseFile(string caseId, string file) => Path.Combine(Root, "cases", caseId, file);

    private static readonly Lazy<IReadOnlyList<IReadOnlyDictionary<string, string>>> AllRows = new(() =>
        ReadCsv(Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "oracle", "results.csv")));

    /// <summary>The newest reference's successful rows of one kind (train, inference, gemm).</summary>
    public static IEnumerable<IReadOnlyDictionary<string, string>> HeadRows(string kind) =>
        AllRows.Value.Where(r => r["version"] == "head" && r["kind"] == kind && r["status"] == "ok");

    public static IReadOnlyDictionary<string, string> HeadRow(string caseId) =>
        AllRows.Value.Single(r => r["version"] == "head" && r["case_id"] == caseId);

    /// <summary>
    /// One test case per successful head row of <paramref name="kind"/> and per schema whose files exist: arguments
    /// (case id, hardware file, model file), named <c>{id}_{head|seed}</c>.
    /// </summary>
    public static IEnumerable<TestCaseData> SchemaCases(string kind, Func<string, bool>? include = null)
    {
        foreach (var row in HeadRows(kind))
        {
            var id = row["case_id"];
            if (include is not null && !include(id)) continue;
            foreach (var (schema, hw, model) in new[] { ("head", "hw.head.yaml", "model.head.yaml"), ("seed", "hw.yaml", "model.yaml") })
            {
                if (!File.Exists(CaseFile(id, hw)) || !File.Exists(CaseFile(id, model))) continue;
                yield return new TestCaseData(id, hw, model).SetName($"{id}_{schema}");
            }
        }
    }

    public static bool IsMoe(string caseId) => caseId.Contains("moe", StringComparison.Ordinal);

    public static double Number(IReadOnlyDictionary<string, string> row, string column) =>
        double.Parse(row[column], NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>RFC-4180 CSV (quoted cells may hold commas and doubled quotes).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ReadCsv(string path)
    {
        var records = new List<List<string>>();
        var text = File.ReadAllText(path);
        var field = new StringBuilder();
        var record = new List<string>();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
                continue;
            }

            switch (c)
            {
                case '"': quoted = true; break;
                case ',': record.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    record.Add(field.ToString()); field.Clear();
                    records.Add(record); record = [];
                    break;
                default: field.Append(c); break;
            }
        }

        if (field.Length > 0 || record.Count > 0) { record.Add(field.ToString()); records.Add(record); }
        var header = records[0];
        return records.Skip(1).Where(r => r.Count == header.Count)
            .Select(r => (IReadOnlyDictionary<string, string>)header.Zip(r).ToDictionary(p => p.First, p => p.Second))
            .ToList();
    }
}
