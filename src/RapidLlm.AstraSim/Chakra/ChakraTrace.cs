namespace RapidLlm.AstraSim.Chakra;

/// <summary>One rank's Chakra execution trace: the metadata record and the nodes in file order.</summary>
/// <param name="Metadata">The leading <see cref="GlobalMetadata"/> record.</param>
/// <param name="Nodes">The node records; AstraSim resolves <c>ctrl_deps</c> against their ids.</param>
internal sealed record ChakraTrace(GlobalMetadata Metadata, IReadOnlyList<Node> Nodes)
{
    /// <summary>The schema version AstraSim's reader accepts and the reference writes.</summary>
    public const string SchemaVersion = "0.0.4";
}
