using Google.Protobuf;

namespace RapidLlm.AstraSim.Chakra;

/// <summary>
/// Reads and writes <c>.et</c> files: a <see cref="GlobalMetadata"/> record, then one <see cref="Node"/> per record,
/// each prefixed by its length as a base-128 varint, no terminator and no compression (Chakra's framing).
/// </summary>
internal static class ChakraTraceFile
{
    /// <summary>Writes <paramref name="trace"/> to <paramref name="path"/>, replacing any existing file.</summary>
    public static void Write(string path, ChakraTrace trace)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, trace);
    }

    /// <summary>Writes <paramref name="trace"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, ChakraTrace trace)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(trace);
        trace.Metadata.WriteDelimitedTo(stream);
        foreach (var node in trace.Nodes)
        {
            node.WriteDelimitedTo(stream);
        }
    }

    /// <summary>Reads the trace stored at <paramref name="path"/>.</summary>
    public static ChakraTrace Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream);
    }

    /// <summary>Reads a trace from <paramref name="stream"/> up to its end.</summary>
    /// <exception cref="InvalidDataException">The stream has no metadata record or ends inside a record.</exception>
    public static ChakraTrace Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var metadataBytes = ReadRecord(stream)
            ?? throw new InvalidDataException("The execution trace is empty: it has no GlobalMetadata record.");
        var metadata = GlobalMetadata.Parser.ParseFrom(metadataBytes);
        var nodes = new List<Node>();
        while (ReadRecord(stream) is { } nodeBytes)
        {
            nodes.Add(Node.Parser.ParseFrom(nodeBytes));
        }

        return new ChakraTrace(metadata, nodes);
    }

    // Chakra's own reader stops at end of stream or at a zero length, so both end the trace here too.
    private static byte[]? ReadRecord(Stream stream)
    {
        var length = ReadVarint(stream);
        if (length is null or 0)
        {
            return null;
        }

        var buffer = new byte[length.Value];
        stream.ReadExactly(buffer);
        return buffer;
    }

    private static int? ReadVarint(Stream stream)
    {
        var value = 0;
        for (var shift = 0; shift < 32; shift += 7)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                return shift == 0
                    ? null
                    : throw new InvalidDataException("The execution trace ends inside a record length.");
            }

            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("A record length in the execution trace is longer than 32 bits.");
    }
}
