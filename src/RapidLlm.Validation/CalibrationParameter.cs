using System.Globalization;
using System.Text;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>
/// One hardware-file value a calibration may change, and the candidates it tries. The path is dotted YAML keys; a
/// segment <c>name[id]</c> addresses the list item of <c>name</c> whose <c>id</c> is <c>id</c>, for example
/// <c>network.dimensions[dim0].topology.latency</c>.
/// </summary>
/// <param name="Path">The dotted path.</param>
/// <param name="Candidates">Values to try, in the file's units (a plain number).</param>
public sealed record CalibrationParameter(string Path, EquatableArray<double> Candidates)
{
    /// <summary>The YAML overlay that sets this parameter to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public string Overlay(double value)
    {
        var text = new StringBuilder();
        var indent = 0;
        foreach (var segment in Path.Split('.'))
        {
            var open = segment.IndexOf('[', StringComparison.Ordinal);
            var pad = new string(' ', indent);
            if (open < 0)
            {
                text.Append(pad).Append(segment).Append(':').Append('\n');
                indent += 2;
            }
            else
            {
                // A list item is addressed by id; the harness merge patches the matching item only.
                var id = segment[(open + 1)..^1];
                text.Append(pad).Append(segment[..open]).Append(":\n").Append(pad).Append("  - id: ").Append(id).Append('\n');
                indent += 4;
            }
        }

        // The last segment's line ends in ':' with nothing after it; put the value there instead.
        var value_ = value.ToString("R", CultureInfo.InvariantCulture);
        text.Length -= 1;
        return text.Append(' ').Append(value_).Append('\n').ToString();
    }
}
