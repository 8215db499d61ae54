using System.Globalization;
using System.Text;

namespace RapidLlm.AstraSim.Chakra;

/// <summary>Renders a trace as one line per node, for people reading persisted artifacts.</summary>
internal static class ChakraTraceText
{
    /// <summary>The text dump of <paramref name="trace"/>; <paramref name="title"/> heads it (usually the file name).</summary>
    public static string Render(ChakraTrace trace, string title)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"== {title} version={trace.Metadata.Version}\n");
        foreach (var node in trace.Nodes)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"id={node.Id} type={node.Type.ToChakraName()} name={node.Name} dur_us={node.DurationMicros} " +
                $"ctrl=[{string.Join(", ", node.CtrlDeps)}] data=[{string.Join(", ", node.DataDeps)}] " +
                $"[{string.Join(", ", node.Attr.Select(FormatAttribute))}]\n");
        }

        return text.ToString();
    }

    /// <summary>The schema's spelling of a node type (COMP_NODE, COMM_SEND_NODE, ...).</summary>
    public static string ToChakraName(this NodeType type) =>
        Google.Protobuf.Reflection.OriginalNameAttribute.GetCustomAttributes(typeof(NodeType).GetField(type.ToString())!, false)
            .OfType<Google.Protobuf.Reflection.OriginalNameAttribute>().FirstOrDefault()?.Name ?? type.ToString();

    private static string FormatAttribute(AttributeProto attribute)
    {
        string value = attribute.ValueCase switch
        {
            AttributeProto.ValueOneofCase.BoolVal => attribute.BoolVal ? "True" : "False",
            AttributeProto.ValueOneofCase.Int64Val => attribute.Int64Val.ToString(CultureInfo.InvariantCulture),
            AttributeProto.ValueOneofCase.Int32Val => attribute.Int32Val.ToString(CultureInfo.InvariantCulture),
            AttributeProto.ValueOneofCase.Uint64Val => attribute.Uint64Val.ToString(CultureInfo.InvariantCulture),
            AttributeProto.ValueOneofCase.StringVal => attribute.StringVal,
            AttributeProto.ValueOneofCase.DoubleVal => attribute.DoubleVal.ToString("R", CultureInfo.InvariantCulture),
            _ => attribute.ValueCase.ToString(),
        };
        return $"{attribute.Name}={value}";
    }
}
