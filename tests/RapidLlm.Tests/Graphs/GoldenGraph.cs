using System.Text.Json;

namespace RapidLlm.Tests.Graphs;

/// <summary>One object of a golden graph JSON file (reference dump, BFS-numbered).</summary>
internal sealed record GoldenObject(
    int Id,
    string Type,
    string Name,
    int? OpId,
    int? HwId,
    double Duration,
    string? CommType,
    double CommSizeBytes,
    int Participants,
    string? Interconnect,
    bool IsDp,
    bool Forward,
    string? MemKind,
    bool Recompute,
    bool ParamGather,
    JsonElement? Attrs,
    double FinishTime,
    int[] Parents,
    int[] Children);

/// <summary>A golden graph file: roots and objects.</summary>
internal sealed record GoldenGraph(int[] Roots, GoldenObject[] Objects)
{
    public static string DataDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "golden", "graphs");

    public static GoldenGraph Load(string caseName, string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(DataDirectory, caseName, file)));
        var root = doc.RootElement;
        var roots = root.GetProperty("roots").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var objects = root.GetProperty("objects").EnumerateArray().Select(Parse).ToArray();
        return new GoldenGraph(roots, objects);
    }

    private static GoldenObject Parse(JsonElement e)
    {
        static int? OptInt(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        static string? OptString(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        static bool OptBool(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        static double OptDouble(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0.0;

        JsonElement? attrs = e.TryGetProperty("attrs", out var a) && a.ValueKind == JsonValueKind.Object ? a.Clone() : null;
        return new GoldenObject(
            e.GetProperty("id").GetInt32(),
            e.GetProperty("type").GetString()!,
            e.GetProperty("name").GetString()!,
            OptInt(e, "op_id"),
            OptInt(e, "hw_id"),
            OptDouble(e, "duration"),
            OptString(e, "comm_type"),
            OptDouble(e, "comm_size_bytes"),
            OptInt(e, "participants") ?? 1,
            OptString(e, "comm_interconnect_type"),
            OptBool(e, "is_dp"),
            OptBool(e, "fwd"),
            OptString(e, "mem_kind"),
            OptBool(e, "recompute"),
            OptBool(e, "param_gather"),
            attrs,
            OptDouble(e, "finish_time"),
            e.GetProperty("parents").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            e.GetProperty("children").EnumerateArray().Select(x => x.GetInt32()).ToArray());
    }
}
