using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Meridian.Edge.Http1;

/// <summary>
/// Parses an origin's HTTP/1.x response head (RFC 9112 §4–§6) strictly, as a proxy must: a response whose framing is
/// ambiguous could desynchronise the pooled connection (response splitting), so conflicting <c>Content-Length</c>s,
/// obsolete line folding, whitespace before a colon, control characters in values and bare CR are errors, and a
/// response with both <c>Transfer-Encoding</c> and <c>Content-Length</c> is read by the former and then closed.
/// </summary>
internal static class Http1ResponseParser
{
    /// <summary>Largest response head accepted (status line and headers): SocketsHttpHandler's default, as on the YARP path.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    /// <summary>A bound on the header list, far above real responses (the byte limit allows ~20,000 tiny lines).</summary>
    public const int MaxHeaderCount = 2048;

    // RFC 9110 §5.6.2 tchar.
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // Field values: everything but CTLs other than HTAB (obs-text 0x80–0xFF allowed, RFC 9110 §5.5).
    private static readonly SearchValues<byte> InvalidValueChars = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\n\u000b\u000c\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u007f"u8);

    /// <summary>
    /// Parses the head at the start of <paramref name="buffer"/> into <paramref name="head"/> (reset first).
    /// </summary>
    /// <returns>False while the head is incomplete (read more); true with <paramref name="consumed"/> = the head's length.</returns>
    /// <exception cref="Http1ProtocolException">The bytes are not a valid response head, or it is too large.</exception>
    public static bool TryParse(ReadOnlySpan<byte> buffer, bool headRequest, Http1ResponseHead head, out int consumed)
    {
        consumed = 0;
        var end = buffer.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            if (buffer.Length >= MaxHeadBytes)
            {
                throw new Http1ProtocolException($"response head larger than {MaxHeadBytes} bytes");
            }

            return false;
        }

        if (end + 4 > MaxHeadBytes)
        {
            throw new Http1ProtocolException($"response head larger than {MaxHeadBytes} bytes");
        }

        head.Reset();
        var lines = buffer[..(end + 2)]; // every line with its CRLF
        var lineEnd = lines.IndexOf("\r\n"u8);
        ParseStatusLine(lines[..lineEnd], head);
        lines = lines[(lineEnd + 2)..];

        long contentLength = -1;
        var transferEncoding = false;
        var chunked = false;
        var close = head.MinorVersion == 0;
        var count = 0;
        while (!lines.IsEmpty)
        {
            lineEnd = lines.IndexOf("\r\n"u8);
            var line = lines[..lineEnd];
            lines = lines[(lineEnd + 2)..];
            if (++count > MaxHeaderCount)
            {
                throw new Http1ProtocolException($"more than {MaxHeaderCount} response headers");
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].IndexOfAnyExcept(TokenChars) >= 0)
            {
                // Includes obsolete line folding (a line starting with SP/HTAB) and whitespace before the colon.
                throw new Http1ProtocolException("malformed response header line");
            }

            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.IndexOfAny(InvalidValueChars) >= 0)
            {
                throw new Http1ProtocolException("control character in a response header value");
            }

            var name = Http1HeaderRules.Name(line[..colon]);
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                var length = ParseContentLength(value);
                if (contentLength >= 0 && contentLength != length)
                {
                    throw new Http1ProtocolException("conflicting Content-Length headers");
                }

                contentLength = length;
                continue; // added once below, normalised, and only when it frames the body
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                // Only chunked alone: after any other transfer coding (gzip, deflate, ...) the body would reach the
                // viewer still coded and unlabelled, since Transfer-Encoding is hop-by-hop. Origins do not use them.
                if (transferEncoding || !Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    throw new Http1ProtocolException("unsupported Transfer-Encoding (only a single chunked coding is relayed)");
                }

                transferEncoding = chunked = true;
                continue;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                close |= HasToken(value, "close"u8);
                if (head.MinorVersion == 0 && HasToken(value, "keep-alive"u8))
                {
                    close = false;
                }

                continue;
            }

            if (!Http1HeaderRules.SkipResponseHeader(name))
            {
                head.Headers.Add(new(name, Encoding.Latin1.GetString(value)));
            }
        }

        if (headRequest || head.Status < 200 || head.Status is 204 or 304)
        {
            head.Framing = Http1BodyFraming.None;
            if (contentLength >= 0)
            {
                head.ContentLength = contentLength; // kept for a HEAD answer's Content-Length header
            }
        }
        else if (transferEncoding)
        {
            head.Framing = chunked ? Http1BodyFraming.Chunked : Http1BodyFraming.UntilClose;
            // Both framings on one message, or chunked from an HTTP/1.0 server (RFC 9112 §6.1): read it by
            // Transfer-Encoding, then never trust this connection again.
            close |= contentLength >= 0 || !chunked || head.MinorVersion == 0;
        }
        else if (contentLength >= 0)
        {
            head.ContentLength = contentLength;
            head.Framing = contentLength == 0 ? Http1BodyFraming.None : Http1BodyFraming.ContentLength;
        }
        else
        {
            head.Framing = Http1BodyFraming.UntilClose;
            close = true;
        }

        // Not on a 204, which must not have one (RFC 9110 §8.6); a 304 or a HEAD answer's describes the representation.
        if (contentLength >= 0 && !transferEncoding && head.Status != 204)
        {
            head.Headers.Add(new("Content-Length", contentLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        head.KeepAlive = !close;
        consumed = end + 4;
        return true;
    }

    private static void ParseStatusLine(ReadOnlySpan<byte> line, Http1ResponseHead head)
    {
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != (byte)' '
            || line.Slice(9, 3).IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out _) || status < 100
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw new Http1ProtocolException("malformed response status line");
        }

        if (line[12..].IndexOfAny(InvalidValueChars) >= 0)
        {
            throw new Http1ProtocolException("control character in the response status line");
        }

        head.MinorVersion = line[7] - '0';
        head.Status = status;
        // Relayed only when it is not the status code's standard phrase (as YARP does), so the common case allocates nothing.
        var reason = line.Length > 13 ? line[13..] : default;
        if (!reason.IsEmpty && !Ascii.Equals(reason, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)))
        {
            head.Reason = Encoding.Latin1.GetString(reason);
        }
    }

    private static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        // 1*DIGIT, or a list of identical values (RFC 9110 §8.6 lets a recipient accept "42, 42").
        long result = -1;
        foreach (var range in value.Split((byte)','))
        {
            var part = value[range].Trim(" \t"u8);
            if (part.IsEmpty || part.Length > 18 || part.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                || !Utf8Parser.TryParse(part, out long length, out _) || (result >= 0 && result != length))
            {
                throw new Http1ProtocolException("invalid Content-Length");
            }

            result = length;
        }

        return result;
    }

    private static bool HasToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }
}
