using RapidLlm.Configuration.Yaml;

namespace RapidLlm.Configuration;

/// <summary>
/// Where each YAML path of a loaded file stands (line and column of its value), so problems found later, when two
/// files are checked against each other, can still point at the line to edit.
/// </summary>
internal sealed class SourcePositions
{
    private readonly Dictionary<string, (int Line, int Column)> _positions;
    private readonly Dictionary<string, string> _texts;

    private SourcePositions(Dictionary<string, (int Line, int Column)> positions, Dictionary<string, string> texts)
    {
        _positions = positions;
        _texts = texts;
    }

    /// <summary>No positions (configurations built in code).</summary>
    public static SourcePositions None { get; } = new([], []);

    // The seed schema spells some paths differently; the closest written ancestor is the next best place to point at.
    private static readonly Dictionary<string, string> SeedSpellings = new(StringComparer.Ordinal)
    {
        ["parallelism.pp"] = "parallelism.lp",
        ["parallelism.train.dp"] = "parallelism.dp",
        ["parallelism.inference.replica_count"] = "parallelism.dp",
        ["model_param.moe.num_experts"] = "model_param.num_experts",
        ["model_param.moe.top_k"] = "model_param.top_k",
    };

    /// <summary>
    /// The position of <paramref name="yamlPath"/>, of its seed-schema spelling, or of its closest written ancestor;
    /// <paramref name="text"/> is the value as written when the path itself (or its seed spelling) is a scalar.
    /// </summary>
    internal bool TryLocate(string yamlPath, out int line, out int column, out string? text)
    {
        text = null;
        var exact = _positions.ContainsKey(yamlPath) ? yamlPath
            : SeedSpellings.TryGetValue(yamlPath, out var seed) && _positions.ContainsKey(seed) ? seed : null;
        if (exact is not null)
        {
            (line, column) = _positions[exact];
            _texts.TryGetValue(exact, out text);
            return true;
        }

        var path = yamlPath;
        while (path.Length > 0)
        {
            if (TryFind(path, out line, out column)) return true;
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut < 0 ? "" : path[..cut];
        }

        (line, column) = (0, 0);
        return false;
    }

    /// <summary>The line and column of <paramref name="yamlPath"/> (e.g. <c>parallelism.train.dp</c>), if the file has it.</summary>
    /// <param name="yamlPath">A dotted path with <c>[i]</c> list indices.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    public bool TryFind(string yamlPath, out int line, out int column)
    {
        if (_positions.TryGetValue(yamlPath, out var at))
        {
            (line, column) = at;
            return true;
        }

        (line, column) = (0, 0);
        return false;
    }

    /// <summary>Positions are not part of a configuration's value, so every instance compares equal.</summary>
    public override bool Equals(object? obj) => obj is SourcePositions;

    /// <inheritdoc />
    public override int GetHashCode() => 0;

    internal static SourcePositions From(YamlNode root)
    {
        var positions = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var stack = new Stack<(string Path, YamlNode Node)>();
        stack.Push(("", root));
        while (stack.Count > 0)
        {
            var (path, node) = stack.Pop();
            if (path.Length > 0) positions[path] = (node.Line, node.Column);
            if (path.Length > 0 && node is YamlScalar scalar) texts[path] = scalar.Display;
            switch (node)
            {
                case YamlMapping mapping:
                    foreach (var entry in mapping.Entries)
                        stack.Push((path.Length == 0 ? entry.Key.Text : path + "." + entry.Key.Text, entry.Value));
                    break;
                case YamlSequence sequence:
                    for (var i = 0; i < sequence.Items.Count; i++) stack.Push((path + "[" + i + "]", sequence.Items[i]));
                    break;
            }
        }

        return new SourcePositions(positions, texts);
    }
}
