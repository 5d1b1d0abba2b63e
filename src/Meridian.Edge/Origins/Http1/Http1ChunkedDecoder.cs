using System.Buffers;

namespace Meridian.Edge.Http1;

/// <summary>
/// Incremental decoder of a chunked body (RFC 9112 §7.1) over whatever bytes of it have arrived: chunk extensions are
/// ignored, trailers are read and dropped (the edge does not forward trailers), sizes and lines are bounded.
/// </summary>
internal struct Http1ChunkedDecoder
{
    /// <summary>Longest chunk-size line (size, extensions) or trailer line accepted.</summary>
    public const int MaxLineBytes = 4096;

    private const int MaxTrailerBytes = 16 * 1024;

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    private State _state;
    private long _remaining;
    private int _trailerBytes;

    private enum State
    {
        Size,
        Data,
        DataEnd,
        Trailers,
        Done,
    }

    public readonly bool IsDone => _state == State.Done;

    /// <summary>
    /// Decodes from the start of <paramref name="input"/>: returns chunk data found there (a slice of the input), or
    /// an empty span when more input is needed or the body ended (<see cref="IsDone"/>). <paramref name="consumed"/>
    /// bytes of the input were used (data included) and must not be offered again.
    /// </summary>
    /// <exception cref="Http1ProtocolException">The bytes are not a valid chunked body.</exception>
    public ReadOnlySpan<byte> Decode(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            var rest = input[consumed..];
            switch (_state)
            {
                case State.Size:
                {
                    var lineEnd = rest.IndexOf("\r\n"u8);
                    if (lineEnd < 0)
                    {
                        ThrowIfLong(rest.Length);
                        return default;
                    }

                    ThrowIfLong(lineEnd);
                    _remaining = ParseSize(rest[..lineEnd]);
                    consumed += lineEnd + 2;
                    _state = _remaining == 0 ? State.Trailers : State.Data;
                    break;
                }

                case State.Data:
                {
                    if (rest.IsEmpty)
                    {
                        return default;
                    }

                    var count = (int)Math.Min(rest.Length, _remaining);
                    consumed += count;
                    _remaining -= count;
                    if (_remaining == 0)
                    {
                        _state = State.DataEnd;
                    }

                    return rest[..count];
                }

                case State.DataEnd:
                    if (rest.Length < 2)
                    {
                        return default;
                    }

                    if (rest[0] != '\r' || rest[1] != '\n')
                    {
                        throw new Http1ProtocolException("chunk data not followed by CRLF");
                    }

                    consumed += 2;
                    _state = State.Size;
                    break;

                case State.Trailers:
                {
                    var lineEnd = rest.IndexOf("\r\n"u8);
                    if (lineEnd < 0)
                    {
                        ThrowIfLong(rest.Length);
                        return default;
                    }

                    consumed += lineEnd + 2;
                    if (lineEnd == 0)
                    {
                        _state = State.Done;
                        return default;
                    }

                    _trailerBytes += lineEnd + 2;
                    if (_trailerBytes > MaxTrailerBytes || rest[..lineEnd].IndexOf((byte)':') <= 0)
                    {
                        throw new Http1ProtocolException("malformed or oversized chunked trailers");
                    }

                    break;
                }

                default:
                    return default;
            }
        }
    }

    private static void ThrowIfLong(int length)
    {
        if (length > MaxLineBytes)
        {
            throw new Http1ProtocolException("chunk size line too long");
        }
    }

    private static long ParseSize(ReadOnlySpan<byte> line)
    {
        // chunk-size [ chunk-ext ]: hex digits, then optional whitespace and ';' extensions, which are ignored.
        var digits = line.IndexOfAnyExcept(HexDigits);
        var size = digits < 0 ? line : line[..digits];
        if (size.IsEmpty || size.Length > 15)
        {
            throw new Http1ProtocolException("invalid chunk size");
        }

        if (digits >= 0)
        {
            var ext = line[digits..].TrimStart(" \t"u8);
            if (ext.IsEmpty || ext[0] != ';' || ext.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            {
                throw new Http1ProtocolException("invalid chunk size");
            }
        }

        long value = 0;
        foreach (var b in size)
        {
            value = (value << 4) | (long)HexValue(b);
        }

        return value;
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
