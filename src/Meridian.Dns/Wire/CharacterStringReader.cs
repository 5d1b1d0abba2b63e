using System.Text;

namespace Meridian.Dns.Wire;

/// <summary>
/// Splits presentation text into tokens: whitespace-separated words or double-quoted strings (which may contain
/// spaces), with RFC 1035 5.1 escapes (<c>\"</c>, <c>\\</c>, <c>\DDD</c>). Tokens are returned as UTF-8 bytes.
/// Used at zone load only.
/// </summary>
internal static class CharacterStringReader
{
    public static bool TryTokenize(string text, List<byte[]> tokens, out string? error)
    {
        var current = new List<byte>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            current.Clear();
            bool quoted = text[i] == '"';
            if (quoted)
            {
                i++;
            }
            bool closed = !quoted;
            while (i < text.Length)
            {
                char c = text[i];
                if (quoted && c == '"')
                {
                    closed = true;
                    i++;
                    break;
                }
                if (!quoted && (char.IsWhiteSpace(c) || c == '"'))
                {
                    break;
                }
                if (c == '\\')
                {
                    if (!TryReadEscape(text, ref i, current))
                    {
                        error = $"invalid escape sequence at position {i}";
                        return false;
                    }
                    continue;
                }
                AppendUtf8(text, ref i, current);
            }
            if (!closed)
            {
                error = "unterminated quoted string";
                return false;
            }
            tokens.Add([.. current]);
        }
        error = null;
        return true;
    }

    private static bool TryReadEscape(string text, ref int i, List<byte> output)
    {
        if (i + 1 >= text.Length)
        {
            return false;
        }
        char next = text[i + 1];
        if (!char.IsAsciiDigit(next))
        {
            i++;
            AppendUtf8(text, ref i, output);
            return true;
        }
        if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
        {
            return false;
        }
        int value = ((next - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
        if (value > 255)
        {
            return false;
        }
        output.Add((byte)value);
        i += 4;
        return true;
    }

    private static void AppendUtf8(string text, ref int i, List<byte> output)
    {
        int length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
        Span<byte> buffer = stackalloc byte[8];
        int n = Encoding.UTF8.GetBytes(text.AsSpan(i, length), buffer);
        for (int k = 0; k < n; k++)
        {
            output.Add(buffer[k]);
        }
        i += length;
    }
}
