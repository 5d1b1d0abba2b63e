using System.Text;
using Meridian.Edge.Caching;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Http1;

/// <summary>
/// Formats the origin request head of a body-less GET, HEAD or OPTIONS exactly as the YARP path builds it (YARP's
/// header copy, the cache key's request shape, then <see cref="EdgeTransformer"/>'s forwarding headers): request line
/// with the origin's path and the forwarded query, the origin's Host, the viewer's end-to-end headers, then
/// X-Forwarded-For/-Proto/-Host and Via.
/// </summary>
internal static class Http1RequestHead
{
    // Headers on HttpRequestMessage.Content in the YARP path: the key's request shape does not filter them.
    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Allow, HeaderNames.ContentDisposition, HeaderNames.ContentEncoding, HeaderNames.ContentLanguage,
        HeaderNames.ContentLength, HeaderNames.ContentLocation, HeaderNames.ContentMD5, HeaderNames.ContentRange,
        HeaderNames.ContentType, HeaderNames.Expires, HeaderNames.LastModified,
    };

    /// <summary>Formats into <paramref name="connection"/>'s send buffer (grown when needed); returns the length.</summary>
    public static int Format(Http1OriginConnection connection, HttpContext http, Uri target, byte[] host, string viaHop,
        string? viewerHost, ForwardedRequestShape? shape)
    {
        var request = http.Request;
        var writer = new HeadWriter(connection);
        writer.Ascii(request.Method);
        writer.Byte((byte)' ');
        writer.Ascii(target.PathAndQuery);
        writer.Bytes(" HTTP/1.1\r\nHost: "u8);
        writer.Bytes(host);
        writer.Bytes("\r\n"u8);

        string? forwardedFor = null;
        string? via = null;
        foreach (var (name, values) in request.Headers)
        {
            if (Http1HeaderRules.SkipRequestHeader(name) || name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // The edge's own forwarding headers replace the viewer's (X-Forwarded-For and Via extend the viewer's chain).
            if (name.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase))
            {
                forwardedFor = values.ToString();
                continue;
            }

            if (name.Equals(HeaderNames.Via, StringComparison.OrdinalIgnoreCase))
            {
                via = values.ToString();
                continue;
            }

            if (name.Equals("X-Forwarded-Proto", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Forwarded-Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (shape is not null && !ContentHeaders.Contains(name)
                && (!shape.ShouldForward(name) || name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase)
                    || name.Equals(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (IsSendable(values))
            {
                writer.Header(name, values, name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase) ? "; " : ", ");
            }
        }

        if (shape?.Cookie is { } cookie)
        {
            writer.Header(HeaderNames.Cookie, cookie);
        }

        if (shape?.AcceptEncoding is { } acceptEncoding)
        {
            writer.Header(HeaderNames.AcceptEncoding, acceptEncoding);
        }

        if (EdgeTransformer.ExtendChain(forwardedFor, http.Connection.RemoteIpAddress?.ToString()) is { } chain)
        {
            writer.Header("X-Forwarded-For", chain);
        }

        writer.Header("X-Forwarded-Proto", request.Scheme);
        if (!string.IsNullOrEmpty(viewerHost))
        {
            writer.Header("X-Forwarded-Host", viewerHost);
        }

        writer.Header(HeaderNames.Via, EdgeTransformer.ExtendChain(via, viaHop)!);
        writer.Bytes("\r\n"u8);
        return writer.Length;
    }

    /// <summary>
    /// Whether every value is HTAB, visible ASCII or Latin-1 text: YARP drops a header with CR or LF, and HttpClient fails
    /// on characters above U+00FF; here such a header is dropped (Kestrel's own parser lets none of them in today).
    /// </summary>
    private static bool IsSendable(StringValues values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } value && value.AsSpan().IndexOfAnyExcept(SendableChars) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private static readonly System.Buffers.SearchValues<char> SendableChars = System.Buffers.SearchValues.Create(
        "\t" + string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c)) + string.Concat(Enumerable.Range(0x80, 0x80).Select(c => (char)c)));

    /// <summary>Appends to the connection's send buffer, doubling it when full.</summary>
    private ref struct HeadWriter(Http1OriginConnection connection)
    {
        private byte[] _buffer = connection.SendBuffer;

        public int Length { get; private set; }

        public void Byte(byte value)
        {
            Ensure(1);
            _buffer[Length++] = value;
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(Length));
            Length += bytes.Length;
        }

        // Header values are Latin-1 on the wire, as Kestrel reads them and HttpClient writes them.
        public void Ascii(string text)
        {
            Ensure(text.Length);
            Length += Encoding.Latin1.GetBytes(text, _buffer.AsSpan(Length));
        }

        public void Header(string name, string value)
        {
            Ascii(name);
            Bytes(": "u8);
            Ascii(value);
            Bytes("\r\n"u8);
        }

        public void Header(string name, StringValues values, string separator)
        {
            Ascii(name);
            Bytes(": "u8);
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    Ascii(separator);
                }

                Ascii(values[i] ?? "");
            }

            Bytes("\r\n"u8);
        }

        private void Ensure(int count)
        {
            if (Length + count <= _buffer.Length)
            {
                return;
            }

            var grown = new byte[Math.Max(_buffer.Length * 2, Length + count)];
            _buffer.AsSpan(0, Length).CopyTo(grown);
            _buffer = grown;
            connection.SendBuffer = grown;
        }
    }
}
