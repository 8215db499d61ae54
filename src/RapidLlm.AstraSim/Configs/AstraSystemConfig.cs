using System.Text;
using System.Text.Json;
using RapidLlm.Configuration;

namespace RapidLlm.AstraSim.Configs;

/// <summary>AstraSim's system file: scheduling options and one collective algorithm per network entry.</summary>
internal static class AstraSystemConfig
{
    /// <summary>The system file name for <paramref name="network"/>, <c>system_native_collectives_&lt;signature&gt;.json</c>.</summary>
    public static string FileName(AstraNetwork network) => $"system_native_collectives_{network.Signature}.json";

    /// <summary>The system JSON for <paramref name="network"/>, with the same keys, order and layout as the reference.</summary>
    public static string ToJson(AstraNetwork network, AstraSimConfig? astra)
    {
        ArgumentNullException.ThrowIfNull(network);
        var collectives = astra?.Collectives ?? AstraCollectivesConfig.Auto;
        var options = astra?.SysOptions;
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2 }))
        {
            json.WriteStartObject();
            json.WriteString("scheduling-policy", "LIFO");
            json.WriteNumber("endpoint-delay", options?.EndpointDelay ?? 10);
            json.WriteNumber("active-chunks-per-dimension", options?.ActiveChunksPerDimension ?? 4);
            json.WriteNumber("preferred-dataset-splits", options?.PreferredDatasetSplits ?? 4);
            WriteImplementations(json, "all-reduce", network, collectives.AllReduce);
            WriteImplementations(json, "all-gather", network, collectives.AllGather);
            WriteImplementations(json, "reduce-scatter", network, collectives.ReduceScatter);
            WriteImplementations(json, "all-to-all", network, collectives.AllToAll);
            json.WriteString("collective-optimization", "localBWAware");
            json.WriteNumber("local-mem-bw", 1600);
            json.WriteNumber("boost-mode", 0);
            // Off: AstraSim replays the compute durations we write instead of deriving them from a roofline.
            json.WriteNumber("roofline-enabled", 0);
            json.WriteNumber("peak-perf", 900);
            if (options?.CollectiveArbitration is { } arbitration)
            {
                json.WriteString("collective-arbitration", arbitration);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The algorithm AstraSim uses for <paramref name="operation"/> on <paramref name="entry"/>.</summary>
    /// <param name="entry">A network entry.</param>
    /// <param name="operation">all-reduce, all-gather, reduce-scatter or all-to-all.</param>
    /// <param name="globalAlgorithm">The execution_backend.astra.collectives setting for the operation.</param>
    public static string Algorithm(AstraNetworkDimension entry, string operation, string globalAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var underscored = operation.Replace('-', '_');
        var own = entry.Source?.CollectiveOverrides.FirstOrDefault(o => o.Collective == operation || o.Collective == underscored);
        if (own is not null && !string.IsNullOrEmpty(own.Algorithm))
        {
            return own.Algorithm;
        }

        if (globalAlgorithm != "auto")
        {
            return globalAlgorithm;
        }

        if (entry.Source?.Topology.Type == TopologyType.KingMesh2D && entry.Topology != "HyperCube")
        {
            return "kingmesh";
        }

        return entry.Topology switch
        {
            "FullyConnected" => "direct",
            // Halving-doubling needs a power-of-two group; AstraSim would otherwise fail mid-run.
            "Switch" => int.IsPow2(entry.Npus) ? "halvingDoubling" : "ring",
            "Mesh" => "mesh",
            "HyperCube" => "hypercube",
            "KingMesh2D" or "KingMesh" => "kingmesh",
            _ => "ring",
        };
    }

    private static void WriteImplementations(Utf8JsonWriter json, string operation, AstraNetwork network, string globalAlgorithm)
    {
        json.WriteStartArray($"{operation}-implementation");
        foreach (var entry in network.Dimensions)
        {
            json.WriteStringValue(Algorithm(entry, operation, globalAlgorithm));
        }

        json.WriteEndArray();
    }
}
