namespace Meridian.Dns.Wire;

/// <summary>
/// Conversions between presentation names ("app.mydomain.test", trailing dot optional, always absolute) and
/// uncompressed wire names (length-prefixed labels ending with the zero root label). Presentation supports the
/// RFC 1035 5.1 escapes <c>\.</c>, <c>\\</c> and <c>\DDD</c>. The span overloads do not allocate.
/// </summary>
public static class DnsName
{
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;
    /// <summary>Chars needed to format any wire name: every byte could become a 4-char <c>\DDD</c> escape.</summary>
    public const int MaxPresentationLength = MaxWireLength * 4;

    /// <summary>Encodes a presentation name; throws <see cref="FormatException"/> when invalid. For zone load.</summary>
    public static byte[] ToWire(string name)
    {
        Span<byte> buffer = stackalloc byte[MaxWireLength];
        if (!TryWriteWire(name, buffer, out int written, out string? error))
        {
            throw new FormatException($"Invalid DNS name '{name}': {error}");
        }
        return buffer[..written].ToArray();
    }

    /// <summary>Encodes a presentation name into <paramref name="destination"/>.</summary>
    public static bool TryWriteWire(ReadOnlySpan<char> name, Span<byte> destination, out int bytesWritten) =>
        TryWriteWire(name, destination, out bytesWritten, out _);

    /// <summary>Encodes a presentation name; <paramref name="error"/> says why it is invalid.</summary>
    public static bool TryWriteWire(ReadOnlySpan<char> name, Span<byte> destination, out int bytesWritten, out string? error)
    {
        bytesWritten = 0;
        if (name.IsEmpty || (name.Length == 1 && name[0] == '.'))
        {
            return WriteRoot(destination, ref bytesWritten, out error);
        }
        int pos = 0;
        int labelStart = -1;
        for (int i = 0; i < name.Length; i++)
        {
            if (labelStart < 0)
            {
                if (pos >= destination.Length || pos >= MaxWireLength)
                {
                    error = "name is longer than 255 bytes";
                    return false;
                }
                labelStart = pos++;
            }
            char c = name[i];
            if (c == '.')
            {
                if (!CloseLabel(destination, labelStart, pos, out error))
                {
                    return false;
                }
                labelStart = -1;
                continue;
            }
            int value = c;
            if (c == '\\')
            {
                if (!TryReadEscape(name, ref i, out value))
                {
                    error = "invalid escape sequence";
                    return false;
                }
            }
            else if (c <= ' ' || c >= 0x7F)
            {
                error = $"invalid character U+{(int)c:X4} (use punycode for IDNs, \\DDD for binary)";
                return false;
            }
            if (pos >= destination.Length || pos >= MaxWireLength)
            {
                error = "name is longer than 255 bytes";
                return false;
            }
            destination[pos++] = (byte)value;
        }
        if (labelStart >= 0 && !CloseLabel(destination, labelStart, pos, out error))
        {
            return false;
        }
        bytesWritten = pos;
        return WriteRoot(destination, ref bytesWritten, out error);
    }

    /// <summary>
    /// Formats an uncompressed wire name lowercase, without trailing dot; the root formats as an empty string.
    /// Dots and non-printable bytes inside labels are escaped so they can never alias another name in a lookup.
    /// </summary>
    public static bool TryFormat(ReadOnlySpan<byte> wireName, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        int pos = 0;
        int i = 0;
        while (true)
        {
            if (i >= wireName.Length)
            {
                return false;
            }
            int len = wireName[i++];
            if (len == 0)
            {
                charsWritten = pos;
                return true;
            }
            if (len > MaxLabelLength || i + len > wireName.Length)
            {
                return false;
            }
            if (pos > 0)
            {
                if (pos >= destination.Length)
                {
                    return false;
                }
                destination[pos++] = '.';
            }
            for (int end = i + len; i < end; i++)
            {
                if (!TryAppendChar(wireName[i], destination, ref pos))
                {
                    return false;
                }
            }
        }
    }

    /// <summary>Formats a wire name as a string ("." for the root); allocates, for tools, tests and logs.</summary>
    public static string ToPresentation(ReadOnlySpan<byte> wireName)
    {
        Span<char> buffer = stackalloc char[MaxPresentationLength];
        if (!TryFormat(wireName, buffer, out int written))
        {
            throw new FormatException("Malformed wire name.");
        }
        return written == 0 ? "." : new string(buffer[..written]);
    }

    /// <summary>Length of the uncompressed wire name at the start of <paramref name="wire"/>, or -1 if malformed.</summary>
    public static int GetWireLength(ReadOnlySpan<byte> wire)
    {
        int i = 0;
        while (i < wire.Length && i < MaxWireLength)
        {
            int len = wire[i];
            if (len == 0)
            {
                return i + 1;
            }
            if (len > MaxLabelLength)
            {
                return -1;
            }
            i += len + 1;
        }
        return -1;
    }

    /// <summary>Case-insensitive (ASCII) equality of two uncompressed wire names.</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        for (int i = 0; i < a.Length; i++)
        {
            if (ToLower(a[i]) != ToLower(b[i]))
            {
                return false;
            }
        }
        return true;
    }

    internal static byte ToLower(byte b) => (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;

    private static bool TryAppendChar(byte b, Span<char> destination, ref int pos)
    {
        b = ToLower(b);
        bool escape = b is (byte)'.' or (byte)'\\' || b <= 0x20 || b >= 0x7F;
        if (pos + (escape ? 4 : 1) > destination.Length)
        {
            return false;
        }
        if (escape)
        {
            destination[pos++] = '\\';
            destination[pos++] = (char)('0' + (b / 100));
            destination[pos++] = (char)('0' + (b / 10 % 10));
            destination[pos++] = (char)('0' + (b % 10));
        }
        else
        {
            destination[pos++] = (char)b;
        }
        return true;
    }

    private static bool TryReadEscape(ReadOnlySpan<char> name, ref int i, out int value)
    {
        value = 0;
        if (i + 1 >= name.Length)
        {
            return false;
        }
        char next = name[i + 1];
        if (!char.IsAsciiDigit(next))
        {
            value = next;
            i++;
            return next > ' ' && next < 0x7F;
        }
        if (i + 3 >= name.Length || !char.IsAsciiDigit(name[i + 2]) || !char.IsAsciiDigit(name[i + 3]))
        {
            return false;
        }
        value = ((next - '0') * 100) + ((name[i + 2] - '0') * 10) + (name[i + 3] - '0');
        i += 3;
        return value <= 255;
    }

    private static bool CloseLabel(Span<byte> destination, int labelStart, int pos, out string? error)
    {
        int length = pos - labelStart - 1;
        if (length == 0)
        {
            error = "empty label";
            return false;
        }
        if (length > MaxLabelLength)
        {
            error = "label is longer than 63 bytes";
            return false;
        }
        destination[labelStart] = (byte)length;
        error = null;
        return true;
    }

    private static bool WriteRoot(Span<byte> destination, ref int pos, out string? error)
    {
        if (pos >= destination.Length || pos >= MaxWireLength)
        {
            error = "name is longer than 255 bytes";
            return false;
        }
        destination[pos++] = 0;
        error = null;
        return true;
    }
}
