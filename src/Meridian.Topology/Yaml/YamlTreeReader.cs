using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Meridian.Topology.Yaml;

/// <summary>
/// Builds a <see cref="YNode"/> tree from YamlDotNet parser events. Iterative (explicit stack), so deeply nested
/// hostile input cannot overflow the call stack.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Far deeper than any topology needs; stops hostile input early (YamlDotNet slows with depth).</summary>
    public const int MaxDepth = 64;

    /// <summary>Returns the root node (null for an empty file) or a syntax error with its position.</summary>
    public static YNode? Read(string text, out (int Line, int Column, string Message)? error)
    {
        error = null;
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var stack = new Stack<YNode>();
        // A mapping awaiting its value holds the key here (one slot per open mapping).
        var pendingKeys = new Stack<YNode?>();
        YNode? root = null;
        var documents = 0;
        int lastLine = 1, lastColumn = 1;
        try
        {
            while (parser.MoveNext())
            {
                var ev = parser.Current!;
                (lastLine, lastColumn) = (Math.Max(1, (int)ev.End.Line), Math.Max(1, (int)ev.End.Column));
                switch (ev)
                {
                    case DocumentStart ds when !ds.IsImplicit || documents > 0:
                        documents++;
                        if (documents > 1)
                        {
                            error = (Line(ev), Col(ev), "only one YAML document is allowed");
                            return null;
                        }
                        break;
                    case DocumentStart:
                        documents++;
                        break;
                    case Scalar s:
                        var scalar = new YScalar(Line(s), Col(s), s.Value, s.Style == ScalarStyle.Plain);
                        Remember(anchors, s.Anchor, scalar);
                        Attach(scalar, stack, pendingKeys, ref root);
                        break;
                    case AnchorAlias a:
                        if (!anchors.TryGetValue(a.Value.Value, out var target))
                        {
                            error = (Line(a), Col(a), $"unknown alias '*{a.Value.Value}'");
                            return null;
                        }
                        Attach(target, stack, pendingKeys, ref root);
                        break;
                    case MappingStart ms:
                        var map = new YMapping(Line(ms), Col(ms));
                        Remember(anchors, ms.Anchor, map);
                        Attach(map, stack, pendingKeys, ref root);
                        if (stack.Count >= MaxDepth)
                        {
                            error = (Line(ev), Col(ev), $"nesting deeper than {MaxDepth} levels");
                            return null;
                        }
                        stack.Push(map);
                        pendingKeys.Push(null);
                        break;
                    case SequenceStart ss:
                        var seq = new YSequence(Line(ss), Col(ss));
                        Remember(anchors, ss.Anchor, seq);
                        Attach(seq, stack, pendingKeys, ref root);
                        if (stack.Count >= MaxDepth)
                        {
                            error = (Line(ev), Col(ev), $"nesting deeper than {MaxDepth} levels");
                            return null;
                        }
                        stack.Push(seq);
                        pendingKeys.Push(null);
                        break;
                    case MappingEnd or SequenceEnd:
                        stack.Pop();
                        pendingKeys.Pop();
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            error = (Math.Max(1, (int)ex.Start.Line), Math.Max(1, (int)ex.Start.Column), Clean(ex.Message));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed plain scalars (found by fuzzing); the position is
            // the end of the last event parsed before the failure.
            error = (lastLine, lastColumn, "YAML syntax error: malformed value (an unclosed '[', '{' or quote?)");
            return null;
        }
        return root;
    }

    private static void Attach(YNode node, Stack<YNode> stack, Stack<YNode?> pendingKeys, ref YNode? root)
    {
        if (stack.Count == 0)
        {
            root ??= node;
            return;
        }
        switch (stack.Peek())
        {
            case YSequence seq:
                seq.Items.Add(node);
                break;
            case YMapping map:
                var key = pendingKeys.Pop();
                if (key is null)
                {
                    pendingKeys.Push(node);
                }
                else
                {
                    map.Entries.Add(new(key, node));
                    pendingKeys.Push(null);
                }
                break;
        }
    }

    private static void Remember(Dictionary<string, YNode> anchors, AnchorName anchor, YNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    private static int Line(ParsingEvent ev) => (int)ev.Start.Line;
    private static int Col(ParsingEvent ev) => (int)ev.Start.Column;

    /// <summary>YamlDotNet prefixes messages with "(Line: x, Col: y, Idx: z) - (...): "; we print the position ourselves.</summary>
    private static string Clean(string message)
    {
        var i = message.LastIndexOf("): ", StringComparison.Ordinal);
        var text = i >= 0 && message.StartsWith('(') ? message[(i + 3)..] : message;
        return "YAML syntax error: " + text.Trim();
    }
}
