using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DqnStudy.Agent.Config;

/// <summary>A parsed YAML node that remembers where it came from, so that an error after merging
/// <c>extends:</c> chains and <c>--set</c> overrides still names the right file, line and column.</summary>
internal abstract class YNode(string file, int? line, int? column)
{
    public string File { get; } = file;
    public int? Line { get; } = line;
    public int? Column { get; } = column;
}

/// <summary><paramref name="Plain"/> is false for quoted or explicitly tagged scalars: "64" is a string, not an int.</summary>
internal sealed class YScalar(string value, bool plain, string file, int? line, int? column) : YNode(file, line, column)
{
    public string Value { get; } = value;
    public bool Plain { get; } = plain;
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed class YList(IReadOnlyList<YNode> items, string file, int? line, int? column) : YNode(file, line, column)
{
    public IReadOnlyList<YNode> Items { get; } = items;
}

internal sealed record YEntry(string Key, int? Line, int? Column, YNode Value);

/// <summary>Entries keep their order (errors come out in file order); lookups go through an index built on first
/// use, so a map of many keys (env_kwargs) costs linear time, not quadratic.</summary>
internal sealed class YMap(IReadOnlyList<YEntry> entries, string file, int? line, int? column) : YNode(file, line, column)
{
    private Dictionary<string, YEntry>? _index;

    public IReadOnlyList<YEntry> Entries { get; } = entries;

    public YEntry? Find(string key)
    {
        _index ??= Index(Entries);
        return _index.GetValueOrDefault(key);
    }

    private static Dictionary<string, YEntry> Index(IReadOnlyList<YEntry> entries)
    {
        var index = new Dictionary<string, YEntry>(entries.Count, StringComparer.Ordinal);
        foreach (YEntry entry in entries) index.TryAdd(entry.Key, entry);   // the first of duplicates, as a scan would find
        return index;
    }

    public YMap Without(params string[] keys) => new(Entries.Where(e => !keys.Contains(e.Key)).ToList(), File, Line, Column);

    /// <summary>Child overrides parent; maps merge deeply, lists and scalars are replaced; a null child value
    /// on a map keeps the parent's map.</summary>
    public static YMap Merge(YMap parent, YMap child)
    {
        var merged = new List<YEntry>(parent.Entries);
        var position = new Dictionary<string, int>(merged.Count, StringComparer.Ordinal);
        for (int k = 0; k < merged.Count; k++) position.TryAdd(merged[k].Key, k);
        foreach (YEntry entry in child.Entries)
        {
            if (!position.TryGetValue(entry.Key, out int i))
            {
                position[entry.Key] = merged.Count;
                merged.Add(entry);
            }
            else if (merged[i].Value is YMap parentMap && entry.Value is YMap childMap)
            {
                merged[i] = entry with { Value = Merge(parentMap, childMap) };
            }
            else if (!(merged[i].Value is YMap && entry.Value is YScalar { IsNull: true }))
            {
                merged[i] = entry;
            }
        }
        return new YMap(merged, child.File, child.Line, child.Column);
    }
}

/// <summary>Builds a <see cref="YNode"/> tree from YamlDotNet's event parser (not its object model, which throws
/// on duplicate keys and loses nothing we need). Iterative with a depth limit: hostile input cannot blow the stack.</summary>
internal static class YamlTree
{
    private const int MaxDepth = 64;

    private sealed class Frame(bool isMap, Mark start, string? anchor, string path)
    {
        public string Path { get; } = path;
        public bool IsMap { get; } = isMap;
        public Mark Start { get; } = start;
        public string? Anchor { get; } = anchor;
        public List<YNode> Items { get; } = [];
        public List<YEntry> Entries { get; } = [];
        public Dictionary<string, YEntry> ByKey { get; } = new(StringComparer.Ordinal);   // duplicate check in O(1)
        public YScalar? PendingKey { get; set; }
        public bool SkipValue { get; set; }
    }

    /// <summary>Returns the document's root (null when the text is empty), or null with errors added when the
    /// YAML is malformed.</summary>
    public static YNode? Parse(string text, string file, List<ConfigError> errors, out bool ok, bool positions = true)
    {
        // --set values are parsed on their own: a line/column inside "[32,32]" would only mislead.
        int? L(Mark mark) => positions ? Line(mark) : null;
        int? C(Mark mark) => positions ? Column(mark) : null;
        ConfigError At(string key, string message, Mark mark) => new(file, key, message, L(mark), C(mark));
        int before = errors.Count;
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        YNode? root = null;
        int documents = 0;
        ok = false;
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                ParsingEvent ev = parser.Current!;
                switch (ev)
                {
                    case DocumentStart:
                        if (++documents > 1)
                        {
                            errors.Add(At(ChildPath(), "a config holds one YAML document; found a second one ('---')", ev.Start));
                            return null;
                        }
                        break;
                    case Scalar s:
                        var scalar = new YScalar(s.Value, s.Style == ScalarStyle.Plain && IsPlainTag(s.Tag), file, L(s.Start), C(s.Start));
                        Remember(anchors, s.Anchor, scalar);
                        Add(scalar);
                        break;
                    case AnchorAlias alias:
                        if (anchors.TryGetValue(alias.Value.Value, out YNode? target))
                        {
                            Add(target);
                        }
                        else
                        {
                            errors.Add(At(ChildPath(), $"unknown alias '*{alias.Value.Value}'", ev.Start));
                            return null;
                        }
                        break;
                    case SequenceStart seq:
                        if (stack.Count >= MaxDepth)
                        {
                            errors.Add(At(ChildPath(), $"nested more than {MaxDepth} levels deep", ev.Start));
                            return null;
                        }
                        stack.Push(new Frame(false, seq.Start, seq.Anchor.IsEmpty ? null : seq.Anchor.Value, ChildPath()));
                        break;
                    case MappingStart map:
                        if (stack.Count >= MaxDepth)
                        {
                            errors.Add(At(ChildPath(), $"nested more than {MaxDepth} levels deep", ev.Start));
                            return null;
                        }
                        stack.Push(new Frame(true, map.Start, map.Anchor.IsEmpty ? null : map.Anchor.Value, ChildPath()));
                        break;
                    case SequenceEnd or MappingEnd:
                        Frame done = stack.Pop();
                        YNode node = done.IsMap
                            ? new YMap(done.Entries, file, L(done.Start), C(done.Start))
                            : new YList(done.Items, file, L(done.Start), C(done.Start));
                        if (done.Anchor is not null)
                        {
                            anchors[done.Anchor] = node;
                        }
                        Add(node);
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            // YamlDotNet reports a tab used as indentation at 1:1; point at the first such line instead.
            int tabLine = ex.Message.Contains("tab", StringComparison.Ordinal) ? FirstTabIndentedLine(text) : 0;
            errors.Add(tabLine > 0 && positions
                ? new ConfigError(file, "", CleanMessage(ex.Message), tabLine, 1)
                : new ConfigError(file, "", CleanMessage(ex.Message), L(ex.Start), C(ex.Start)));
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException
                                       or OverflowException or IndexOutOfRangeException or NullReferenceException)
        {
            // YamlDotNet should report every syntax error as YamlException; this is the safety net for its own bugs.
            errors.Add(new ConfigError(file, "", $"malformed YAML ({ex.Message})", null, null));
            return null;
        }

        ok = errors.Count == before;
        return ok ? root : null;

        // Dotted path of the node about to be added (for error messages only).
        string ChildPath()
        {
            if (stack.Count == 0)
            {
                return "";
            }
            Frame top = stack.Peek();
            return top.IsMap ? Join(top.Path, top.PendingKey?.Value ?? "") : $"{top.Path}[{top.Items.Count}]";
        }

        void Add(YNode node)
        {
            if (stack.Count == 0)
            {
                root = node;
                return;
            }
            Frame top = stack.Peek();
            if (!top.IsMap)
            {
                top.Items.Add(node);
            }
            else if (top.PendingKey is null && !top.SkipValue)
            {
                if (node is YScalar key)
                {
                    top.PendingKey = key;
                }
                else
                {
                    errors.Add(new ConfigError(file, "", "a key must be a plain name, not a list or map", node.Line, node.Column));
                    top.SkipValue = true;
                }
            }
            else if (top.SkipValue)
            {
                top.SkipValue = false;
            }
            else
            {
                YScalar key = top.PendingKey!;
                top.PendingKey = null;
                if (top.ByKey.TryGetValue(key.Value, out YEntry? first))
                {
                    errors.Add(new ConfigError(file, Join(top.Path, key.Value), $"duplicate key (first given at line {first.Line})", key.Line, key.Column));
                }
                else
                {
                    var entry = new YEntry(key.Value, key.Line, key.Column, node);
                    top.Entries.Add(entry);
                    top.ByKey.Add(key.Value, entry);
                }
            }
        }
    }

    private static bool IsPlainTag(TagName tag) =>
        tag.IsEmpty || tag.Value is "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool"
            or "tag:yaml.org,2002:null" or "?";

    private static void Remember(Dictionary<string, YNode> anchors, AnchorName anchor, YNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}.{key}";

    private static int? Line(Mark mark) => mark.Line > 0 ? (int)Math.Min(mark.Line, int.MaxValue) : null;

    private static int? Column(Mark mark) => mark.Line > 0 ? (int)Math.Min(mark.Column, int.MaxValue) : null;

    private static int FirstTabIndentedLine(string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart(' ').StartsWith('\t'))
            {
                return i + 1;
            }
        }
        return 0;
    }

    // "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): While parsing ..." -> "While parsing ..."
    private static string CleanMessage(string message)
    {
        int i = message.IndexOf("): ", StringComparison.Ordinal);
        string text = message.StartsWith("(Line", StringComparison.Ordinal) && i >= 0 ? message[(i + 3)..] : message;
        return "malformed YAML: " + text.Trim();
    }
}
