using System.Globalization;
using System.Text;
using RapidLlm.Common;
using RapidLlm.Configuration;

namespace RapidLlm.AstraSim.Configs;

/// <summary>The network AstraSim simulates for one run: its dimensions in configuration order.</summary>
/// <param name="Dimensions">Network-file entries, innermost first.</param>
/// <param name="NonRecursiveFrom">Index from which dimensions are treated as non-recursive (cluster mode).</param>
/// <param name="Signature">File-name signature: the per-dimension NPU counts joined by <c>_</c>.</param>
/// <param name="FaultyLinks">Degraded links written as <c>faulty_links</c>, if any.</param>
internal sealed record AstraNetwork(
    EquatableArray<AstraNetworkDimension> Dimensions,
    int NonRecursiveFrom,
    string Signature,
    EquatableArray<FaultyLink> FaultyLinks)
{
    /// <summary>Total NPUs (ranks) of the network.</summary>
    public int NpusCount => Dimensions.Aggregate(1, (acc, d) => acc * d.Npus);

    /// <summary>The network file name, <c>network_analytical_&lt;signature&gt;.yml</c>.</summary>
    public string FileName => $"network_analytical_{Signature}.yml";

    /// <summary>The analytical network file as AstraSim reads it (same text as the reference writes).</summary>
    public string ToYaml()
    {
        var text = new StringBuilder();
        text.Append("topology: [ ").AppendJoin(", ", Dimensions.Select(d => d.Topology)).Append(" ]\n");
        text.Append("npus_count: [ ").AppendJoin(", ", Dimensions.Select(FormatNpus)).Append(" ]\n");
        text.Append("bandwidth: [ ").AppendJoin(", ", Dimensions.Select(d => PythonNumberText.Float(d.BandwidthGBps))).Append(" ]  # GB/s\n");
        text.Append("latency: [ ").AppendJoin(", ", Dimensions.Select(d => PythonNumberText.Float(d.LatencyNs))).Append(" ]   # ns\n");
        text.Append(CultureInfo.InvariantCulture, $"non_recursive_from: {NonRecursiveFrom}\n");
        if (FaultyLinks.Count > 0)
        {
            text.Append("faulty_links: [")
                .AppendJoin(", ", FaultyLinks.Select(f => string.Create(CultureInfo.InvariantCulture, $"[{f.Source}, {f.Destination}, {PythonNumberText.General(f.Weight)}]")))
                .Append("]\n");
        }

        return text.ToString();
    }

    private static string FormatNpus(AstraNetworkDimension dimension) =>
        dimension.Shape is { } shape
            ? string.Create(CultureInfo.InvariantCulture, $"[ {shape.First}, {shape.Second} ]")
            : dimension.Npus.ToString(CultureInfo.InvariantCulture);
}
