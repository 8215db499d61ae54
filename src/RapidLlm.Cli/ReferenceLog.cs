using System.Text;

namespace RapidLlm.Cli;

/// <summary>
/// The reference's end-of-run log: two blank lines, then the TOPOLOGY/NETWORK, FAULTY LINKS and RESULTS blocks between
/// 60-character borders, then lines that belong to no block.
/// </summary>
internal sealed class ReferenceLog
{
    private static readonly string Border = new('=', 60);
    private readonly List<string> _network = [];
    private readonly List<string> _faults = [];
    private readonly List<string> _results = [];
    private readonly List<string> _other = [];

    /// <summary>Queues topology lines.</summary>
    /// <param name="lines">The lines.</param>
    public void Network(IEnumerable<string> lines) => _network.AddRange(lines);

    /// <summary>Queues faulty-link lines.</summary>
    /// <param name="lines">The lines.</param>
    public void Faults(IEnumerable<string> lines) => _faults.AddRange(lines);

    /// <summary>Queues result lines.</summary>
    /// <param name="lines">The lines.</param>
    public void Results(IEnumerable<string> lines) => _results.AddRange(lines);

    /// <summary>Queues lines printed after the blocks.</summary>
    /// <param name="lines">The lines.</param>
    public void Other(IEnumerable<string> lines) => _other.AddRange(lines);

    /// <summary>The text the reference prints when it flushes its log.</summary>
    public string Render()
    {
        // The reference opens with two blank lines; a terminal shows them as a gap before the first block, so they go.
        var text = new StringBuilder();
        var any = false;
        foreach (var (title, lines) in new[] { ("TOPOLOGY/NETWORK", _network), ("FAULTY LINKS", _faults), ("RESULTS", _results) })
        {
            if (lines.Count == 0) continue;
            any = true;
            text.Append(Border).Append('\n').Append(title).Append('\n').Append(Border).Append('\n');
            foreach (var line in lines) text.Append(line).Append('\n');
        }

        if (any) text.Append(Border).Append('\n');
        foreach (var line in _other) text.Append(line).Append('\n');
        return text.ToString();
    }
}
