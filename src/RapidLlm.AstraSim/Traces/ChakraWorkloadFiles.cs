using System.Globalization;
using System.Text;
using System.Text.Json;
using RapidLlm.AstraSim.Chakra;

namespace RapidLlm.AstraSim.Traces;

/// <summary>Writes a converted workload's files: <c>llm_graph.&lt;rank&gt;.et</c>, comm_groups.json and manifest.json.</summary>
internal static class ChakraWorkloadFiles
{
    /// <summary>The trace prefix inside a work folder.</summary>
    public const string TracePrefixName = "llm_graph";

    /// <summary>Writes everything into <paramref name="folder"/>; returns the trace prefix and the comm-groups path (or null).</summary>
    public static (string Prefix, string? CommGroupsPath) Write(ChakraWorkload workload, string folder, bool textDumps)
    {
        Directory.CreateDirectory(folder);
        var prefix = Path.Combine(folder, TracePrefixName);
        for (var rank = 0; rank < workload.Traces.Count; rank++)
        {
            var path = $"{prefix}.{rank}.et";
            ChakraTraceFile.Write(path, workload.Traces[rank]);
            if (textDumps)
            {
                File.WriteAllText(path + ".txt", ChakraTraceText.Render(workload.Traces[rank], Path.GetFileName(path)));
            }
        }

        File.WriteAllText(Path.Combine(folder, "manifest.json"), ManifestJson(workload));
        string? groups = null;
        if (workload.CommGroups.Count > 0)
        {
            groups = Path.Combine(folder, "comm_groups.json");
            File.WriteAllText(groups, CommGroupsJson(workload));
        }

        return (prefix, groups);
    }

    /// <summary>comm_groups.json: group id to sorted ranks, two-space indented like the reference.</summary>
    public static string CommGroupsJson(ChakraWorkload workload)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2 }))
        {
            json.WriteStartObject();
            foreach (var (id, members) in workload.CommGroups)
            {
                json.WriteStartArray(id);
                foreach (var rank in members) json.WriteNumberValue(rank);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// manifest.json: a sorted summary of each rank's operations. AstraSim never reads it; it documents the run.
    /// Collective types are written as the reference writes them, where all-reduce (enum 0) appears as -1.
    /// </summary>
    public static string ManifestJson(ChakraWorkload workload)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{{\"npus\":{workload.Traces.Count},\"ranks\":{{");
        var ranks = Enumerable.Range(0, workload.Traces.Count).OrderBy(r => r.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        text.AppendJoin(",", ranks.Select(rank => $"\"{rank}\":[{string.Join(",", Operations(workload.Traces[rank]))}]"));
        text.Append("},\"version\":\"df-astra-manifest/1\"}");
        return text.ToString();
    }

    private static IEnumerable<string> Operations(ChakraTrace trace)
    {
        var operations = new List<(int Kind, long Size, long Type, string Text)>();
        foreach (var node in trace.Nodes)
        {
            var size = ChakraNodes.IntegerAttribute(node, "comm_size") ?? 0;
            switch (node.Type)
            {
                case NodeType.CompNode:
                    operations.Add((0, (long)node.DurationMicros, 0, $"[\"COMP\",{node.DurationMicros}]"));
                    break;
                case NodeType.CommCollNode:
                    var type = ChakraNodes.IntegerAttribute(node, "comm_type") is { } t and not 0 ? t : -1;
                    operations.Add((1, size, type, $"[\"COMM\",{type},{size},null]"));
                    break;
                case NodeType.CommSendNode:
                    operations.Add((2, size, 0, $"[\"SEND\",{size}]"));
                    break;
                case NodeType.CommRecvNode:
                    operations.Add((3, size, 0, $"[\"RECV\",{size}]"));
                    break;
            }
        }

        return operations.OrderBy(o => o.Kind).ThenBy(o => o.Size).ThenBy(o => o.Type).Select(o => o.Text);
    }
}
