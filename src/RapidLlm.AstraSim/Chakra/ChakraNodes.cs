namespace RapidLlm.AstraSim.Chakra;

/// <summary>
/// Builds the four node kinds AstraSim replays, with the attributes in the order the reference writes them, so
/// that our traces are byte-comparable with its traces.
/// </summary>
internal static class ChakraNodes
{
    /// <summary>A compute node lasting <paramref name="durationMicros"/> microseconds (0 is allowed; AstraSim then uses 1 ns).</summary>
    public static Node Compute(ulong id, string name, ulong durationMicros)
    {
        var node = new Node { Id = id, Name = name, Type = NodeType.CompNode, DurationMicros = durationMicros };
        node.Attr.Add(Bool("is_cpu_op", false));
        return node;
    }

    /// <summary>A collective over <paramref name="group"/> (a comm_groups.json key) or over all ranks when it is null.</summary>
    public static Node Collective(ulong id, string name, CollectiveCommType kind, long sizeBytes, string? group = null)
    {
        var node = new Node { Id = id, Name = name, Type = NodeType.CommCollNode };
        node.Attr.Add(Bool("is_cpu_op", false));
        node.Attr.Add(new AttributeProto { Name = "comm_type", Int64Val = (long)kind });
        node.Attr.Add(new AttributeProto { Name = "comm_size", Int64Val = sizeBytes });
        if (group is not null)
        {
            node.Attr.Add(new AttributeProto { Name = "pg_name", StringVal = group });
        }

        return node;
    }

    /// <summary>A send to <paramref name="destinationRank"/>; AstraSim pairs it with the receive of the same tag.</summary>
    public static Node Send(ulong id, string name, long sizeBytes, int destinationRank, int tag)
    {
        var node = new Node { Id = id, Name = name, Type = NodeType.CommSendNode };
        node.Attr.Add(new AttributeProto { Name = "comm_size", Int64Val = sizeBytes });
        node.Attr.Add(new AttributeProto { Name = "comm_dst", Int32Val = destinationRank });
        node.Attr.Add(new AttributeProto { Name = "comm_tag", Int32Val = tag });
        node.Attr.Add(Bool("is_cpu_op", false));
        return node;
    }

    /// <summary>A receive from <paramref name="sourceRank"/>; AstraSim pairs it with the send of the same tag.</summary>
    public static Node Receive(ulong id, string name, long sizeBytes, int sourceRank, int tag)
    {
        var node = new Node { Id = id, Name = name, Type = NodeType.CommRecvNode };
        node.Attr.Add(new AttributeProto { Name = "comm_size", Int64Val = sizeBytes });
        node.Attr.Add(new AttributeProto { Name = "comm_src", Int32Val = sourceRank });
        node.Attr.Add(new AttributeProto { Name = "comm_tag", Int32Val = tag });
        node.Attr.Add(Bool("is_cpu_op", false));
        return node;
    }

    /// <summary>The integer value of attribute <paramref name="name"/>, or null when the node lacks it.</summary>
    public static long? IntegerAttribute(Node node, string name)
    {
        foreach (var attribute in node.Attr)
        {
            if (attribute.Name != name)
            {
                continue;
            }

            return attribute.ValueCase switch
            {
                AttributeProto.ValueOneofCase.Int64Val => attribute.Int64Val,
                AttributeProto.ValueOneofCase.Int32Val => attribute.Int32Val,
                AttributeProto.ValueOneofCase.Uint64Val => (long)attribute.Uint64Val,
                AttributeProto.ValueOneofCase.Uint32Val => attribute.Uint32Val,
                _ => null,
            };
        }

        return null;
    }

    /// <summary>The string value of attribute <paramref name="name"/>, or null when the node lacks it.</summary>
    public static string? StringAttribute(Node node, string name) =>
        node.Attr.FirstOrDefault(a => a.Name == name && a.ValueCase == AttributeProto.ValueOneofCase.StringVal)?.StringVal;

    private static AttributeProto Bool(string name, bool value) => new() { Name = name, BoolVal = value };
}
