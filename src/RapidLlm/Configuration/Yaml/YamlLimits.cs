namespace RapidLlm.Configuration.Yaml;

/// <summary>
/// Bounds on a configuration document, checked while it is read so a hostile file is rejected in milliseconds. Real
/// configurations stay far inside them: the largest shipped file is about 6 KB, 5 levels deep and has no aliases.
/// </summary>
internal static class YamlLimits
{
    /// <summary>Largest configuration file, in bytes (1 MiB).</summary>
    public const int MaxDocumentBytes = 1 << 20;

    /// <summary>Deepest nesting of mappings and lists (the root mapping is level 1).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes the document may hold once every alias is expanded (an alias counts as its target's size).</summary>
    public const int MaxExpandedNodes = 100_000;

    /// <summary>Longest value quoted back in a message; longer ones are cut with their length noted.</summary>
    public const int MaxQuotedLength = 80;

    /// <summary>Cuts <paramref name="text"/> to <see cref="MaxQuotedLength"/> characters for a message.</summary>
    public static string Quote(string text) => Quote(text, MaxQuotedLength);

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters for a message, noting the full length.</summary>
    public static string Quote(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = max;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return $"{text[..cut]}… ({text.Length} characters)";
    }
}
