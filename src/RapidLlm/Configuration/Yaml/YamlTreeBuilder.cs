using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RapidLlm.Configuration.Yaml;

/// <summary>
/// Builds a <see cref="YamlNode"/> tree from YamlDotNet's parser events, keeping line/column marks and reporting
/// duplicate keys instead of stopping at them. The tree is built with an explicit stack (no recursion per level) and
/// the document's size, nesting depth and alias expansion are bounded (<see cref="YamlLimits"/>) while it is read, so
/// hostile text is rejected before it costs time or memory. Only one document is allowed, as in PyYAML's
/// <c>safe_load</c>.
/// </summary>
internal static class YamlTreeBuilder
{
    private const string SyntaxHint = " (check indentation and that every section is a mapping)";

    /// <summary>Parses the only document; returns null (with an error reported) when the text is not valid YAML or breaks a limit.</summary>
    public static YamlNode? Build(string text, DiagnosticBag diagnostics)
    {
        if (text.Length > YamlLimits.MaxDocumentBytes)
        {
            diagnostics.Error("", 0, 0, null,
                $"the file has {text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; configuration files are limited to {YamlLimits.MaxDocumentBytes / 1024} KiB");
            return null;
        }

        if (FlowNestingTooDeep(text, out var deepLine, out var deepColumn))
        {
            diagnostics.Error("", deepLine, deepColumn, null,
                $"lists and mappings are nested more than {YamlLimits.MaxDepth} levels deep; configuration files are limited to {YamlLimits.MaxDepth} levels");
            return null;
        }

        var reader = new TreeReader(new Parser(new StringReader(text)), diagnostics);
        return reader.Read();
    }

    /// <summary>
    /// A fast scan for <c>[</c>/<c>{</c> nesting outside quotes and comments, before YamlDotNet sees the text: its
    /// scanner slows down quadratically with flow depth (100 000 levels take minutes), so deep text never reaches it.
    /// </summary>
    private static bool FlowNestingTooDeep(string text, out int line, out int column)
    {
        int depth = 0, currentLine = 1, lineStart = 0;
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                currentLine++;
                lineStart = i + 1;
            }

            if (quote != '\0')
            {
                if (quote == '"' && c == '\\') i++;
                else if (c == quote) quote = '\0';
                continue;
            }

            var previous = i == 0 ? '\n' : text[i - 1];
            var afterSeparator = char.IsWhiteSpace(previous) || previous is '[' or '{' or ',' or ':';
            switch (c)
            {
                case '#' when char.IsWhiteSpace(previous) || i == 0:
                    while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                    break;
                case '"' or '\'' when afterSeparator:
                    quote = c;
                    break;
                case '[' or '{':
                    if (++depth > YamlLimits.MaxDepth)
                    {
                        (line, column) = (currentLine, i - lineStart + 1);
                        return true;
                    }

                    break;
                case ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        (line, column) = (0, 0);
        return false;
    }

    /// <summary>One open mapping or sequence while the tree is read.</summary>
    private sealed class Frame(bool isMapping, Mark start, string? anchor, string path)
    {
        public bool IsMapping { get; } = isMapping;
        public Mark Start { get; } = start;
        public string? Anchor { get; } = anchor;
        public string Path { get; } = path;
        public List<YamlNode> Items { get; } = [];
        public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = [];
        public Dictionary<string, YamlScalar> Seen { get; } = new(StringComparer.Ordinal);
        public YamlScalar? PendingKey { get; set; }
        public long Size { get; set; } = 1;

        /// <summary>The path of the node that comes next in this collection.</summary>
        public string ChildPath => IsMapping
            ? PendingKey is null ? Path : Join(Path, PendingKey.Text)
            : $"{Path}[{Items.Count}]";
    }

    private sealed class TreeReader(IParser parser, DiagnosticBag diagnostics)
    {
        private readonly Stack<Frame> _open = new();
        private readonly Dictionary<string, (YamlNode Node, long Size)> _anchors = new(StringComparer.Ordinal);
        private long _expanded;
        private YamlNode? _root;
        private Mark _lastGood = Mark.Empty;

        /// <summary>Where the reader is, for messages about broken text.</summary>
        private string CurrentPath => _open.Count == 0 ? "" : _open.Peek().ChildPath;

        public YamlNode? Read()
        {
            try
            {
                parser.Consume<StreamStart>();
                if (parser.Accept<StreamEnd>(out _)) return null;
                parser.Consume<DocumentStart>();
                while (_root is null)
                {
                    if (!Step()) return null;
                }

                parser.Consume<DocumentEnd>();
                if (parser.Accept<DocumentStart>(out var second))
                {
                    diagnostics.Error("", (int)second.Start.Line, (int)second.Start.Column, null,
                        "a second YAML document starts here ('---'); a configuration file holds one document, so delete it or move it to its own file");
                    return null;
                }

                parser.Consume<StreamEnd>();
                return _root;
            }
            catch (YamlException ex)
            {
                var at = ex.Start.Line > 0 ? ex.Start : _lastGood;
                diagnostics.Error(CurrentPath, (int)at.Line, (int)at.Column, null, "the file is not valid YAML: " + YamlLimits.Quote(ex.Message, 300) + SyntaxHint);
                return null;
            }
#pragma warning disable CA1031 // YamlDotNet's scanner throws other exception types on some malformed text; all of them mean "not YAML".
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException or NullReferenceException)
#pragma warning restore CA1031
            {
                diagnostics.Error(CurrentPath, (int)_lastGood.Line, (int)_lastGood.Column, null,
                    "the file is not valid YAML near this position: " + YamlLimits.Quote(ex.Message, 300) + SyntaxHint);
                return null;
            }
        }

        /// <summary>Consumes one event; false when reading must stop (an error was reported).</summary>
        private bool Step()
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                _lastGood = alias.End;
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    diagnostics.Error(CurrentPath, (int)alias.Start.Line, (int)alias.Start.Column, "*" + YamlLimits.Quote(alias.Value.Value),
                        "the alias names no anchor defined before it (an anchor is written '&name' on the value it labels)");
                    return false;
                }

                return Count(target.Size, alias.Start) && Complete(target.Node, target.Size);
            }

            if (parser.TryConsume<Scalar>(out var scalar))
            {
                _lastGood = scalar.End;
                var node = new YamlScalar((int)scalar.Start.Line, (int)scalar.Start.Column, scalar.Value,
                    Yaml11Scalar.Resolve(scalar.Value, scalar.Style == ScalarStyle.Plain));
                if (!scalar.Anchor.IsEmpty) _anchors[scalar.Anchor.Value] = (node, 1);
                return Count(1, scalar.Start) && Complete(node, 1);
            }

            if (parser.TryConsume<SequenceStart>(out var sequenceStart))
            {
                _lastGood = sequenceStart.End;
                return Open(false, sequenceStart.Start, sequenceStart.Anchor);
            }

            if (parser.TryConsume<MappingStart>(out var mappingStart))
            {
                _lastGood = mappingStart.End;
                return Open(true, mappingStart.Start, mappingStart.Anchor);
            }

            if (parser.TryConsume<SequenceEnd>(out var sequenceEnd) || parser.TryConsume<MappingEnd>(out _))
            {
                var frame = _open.Pop();
                if (sequenceEnd is not null) _lastGood = sequenceEnd.End;
                YamlNode node = frame.IsMapping
                    ? new YamlMapping((int)frame.Start.Line, (int)frame.Start.Column, frame.Entries)
                    : new YamlSequence((int)frame.Start.Line, (int)frame.Start.Column, frame.Items);
                if (frame.Anchor is not null) _anchors[frame.Anchor] = (node, frame.Size);
                return Complete(node, frame.Size);
            }

            var unexpected = parser.Current;
            throw new YamlException(unexpected?.Start ?? _lastGood, unexpected?.End ?? _lastGood, $"unexpected {unexpected?.GetType().Name ?? "end of input"}");
        }

        private bool Open(bool isMapping, Mark start, AnchorName anchor)
        {
            var path = CurrentPath;
            if (_open.Count + 1 > YamlLimits.MaxDepth)
            {
                diagnostics.Error(path, (int)start.Line, (int)start.Column, null,
                    $"lists and mappings are nested more than {YamlLimits.MaxDepth} levels deep; configuration files are limited to {YamlLimits.MaxDepth} levels");
                return false;
            }

            if (!Count(1, start)) return false;
            _open.Push(new Frame(isMapping, start, anchor.IsEmpty ? null : anchor.Value, path));
            return true;
        }

        /// <summary>Counts nodes of the expanded document; aliases count their target's size, so alias bombs stop here.</summary>
        private bool Count(long nodes, Mark at)
        {
            _expanded += nodes;
            if (_expanded <= YamlLimits.MaxExpandedNodes) return true;
            diagnostics.Error(CurrentPath, (int)at.Line, (int)at.Column, null,
                $"the document expands to more than {YamlLimits.MaxExpandedNodes.ToString("N0", CultureInfo.InvariantCulture)} values once its aliases ('*name') are resolved; "
                + "configuration files are limited to that many (an alias repeats everything its anchor labels)");
            return false;
        }

        /// <summary>Attaches a finished node to the open collection (or makes it the root).</summary>
        private bool Complete(YamlNode node, long size)
        {
            if (_open.Count == 0)
            {
                _root = node;
                return true;
            }

            var frame = _open.Peek();
            frame.Size += size;
            if (!frame.IsMapping)
            {
                frame.Items.Add(node);
                return true;
            }

            if (frame.PendingKey is null)
            {
                if (node is not YamlScalar key)
                {
                    diagnostics.Error(frame.Path, node.Line, node.Column, node.Display, "mapping keys must be plain names, not lists or mappings");
                    return false;
                }

                frame.PendingKey = key;
                return true;
            }

            var name = frame.PendingKey;
            frame.PendingKey = null;
            if (frame.Seen.TryGetValue(name.Text, out var first))
            {
                diagnostics.Error(Join(frame.Path, name.Text), name.Line, name.Column, null,
                    $"duplicate key '{YamlLimits.Quote(name.Text)}' (first defined at line {first.Line}); each key may appear once");
                return true;
            }

            frame.Seen[name.Text] = name;
            frame.Entries.Add(new(name, node));
            return true;
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
