using System.Text;
using Meridian.Edge.Http1;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Tests.Http1;

public sealed class Http1ResponseParserTests
{
    private static (Http1ResponseHead Head, int Consumed) Parse(string text, bool headRequest = false)
    {
        var head = new Http1ResponseHead();
        var bytes = Encoding.Latin1.GetBytes(text);
        Assert.True(Http1ResponseParser.TryParse(bytes, headRequest, head, out var consumed));
        return (head, consumed);
    }

    private static string? Header(Http1ResponseHead head, string name) =>
        head.Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    private static void AssertInvalid(string text, bool headRequest = false) =>
        Assert.Throws<Http1ProtocolException>(() => Http1ResponseParser.TryParse(Encoding.Latin1.GetBytes(text), headRequest, new Http1ResponseHead(), out _));

    [Fact]
    public void TryParse_ContentLengthResponse_StatusHeadersAndFraming()
    {
        const string text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Region:  us-east-1 \r\nContent-Length: 5\r\n\r\nhello";

        var (head, consumed) = Parse(text);

        Assert.Equal(text.Length - 5, consumed);
        Assert.Equal((200, 1, Http1BodyFraming.ContentLength, 5L, true), (head.Status, head.MinorVersion, head.Framing, head.ContentLength, head.KeepAlive));
        Assert.Equal("us-east-1", Header(head, "X-Region"));
        Assert.Equal("5", Header(head, "Content-Length"));
        Assert.Same(HeaderNames.ContentType, head.Headers[0].Key);
    }

    [Fact]
    public void TryParse_EveryPrefixOfAHead_Incomplete()
    {
        var bytes = "HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n"u8.ToArray();
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.False(Http1ResponseParser.TryParse(bytes.AsSpan(0, i), false, new Http1ResponseHead(), out _));
        }
    }

    [Fact]
    public void TryParse_Chunked_ChunkedFramingWithoutLengthOrTransferEncodingHeader()
    {
        var (head, _) = Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nTrailer: X-Sum\r\n\r\n");

        Assert.Equal((Http1BodyFraming.Chunked, true), (head.Framing, head.KeepAlive));
        Assert.Null(Header(head, "Transfer-Encoding"));
        Assert.Null(Header(head, "Content-Length"));
    }

    [Fact]
    public void TryParse_TransferEncodingAndContentLength_ChunkedThenClosed()
    {
        // RFC 9112 §6.3: Transfer-Encoding wins, and the connection cannot be trusted for another response.
        var (head, _) = Parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n");

        Assert.Equal((Http1BodyFraming.Chunked, false), (head.Framing, head.KeepAlive));
        Assert.Null(Header(head, "Content-Length"));
    }

    [Theory]
    [InlineData("chunked, gzip")]
    [InlineData("gzip, chunked")] // the body would reach the viewer gzip-coded with nothing saying so
    [InlineData("gzip")]
    [InlineData("chunked\r\nTransfer-Encoding: chunked")]
    public void TryParse_TransferCodingOtherThanOneChunked_Throws(string codings) =>
        AssertInvalid($"HTTP/1.1 200 OK\r\nTransfer-Encoding: {codings}\r\n\r\n");

    [Fact]
    public void TryParse_ChunkedFromHttp10_ReadThenClosed() =>
        Assert.False(Parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n").Head.KeepAlive);

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", null)]
    [InlineData("HTTP/1.1 200\r\n\r\n", null)]
    [InlineData("HTTP/1.1 200 \r\n\r\n", null)]
    [InlineData("HTTP/1.1 404 Not Found\r\n\r\n", null)]
    [InlineData("HTTP/1.1 200 Fine Thanks\r\n\r\n", "Fine Thanks")]
    [InlineData("HTTP/1.1 503 Down for maintenance\r\n\r\n", "Down for maintenance")]
    public void TryParse_ReasonPhrase_KeptOnlyWhenNotTheStandardOne(string text, string? reason) =>
        Assert.Equal(reason, Parse(text).Head.Reason);

    [Fact]
    public void TryParse_NoFraming_ReadUntilCloseNotKeptAlive()
    {
        var (head, _) = Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");

        Assert.Equal((Http1BodyFraming.UntilClose, false), (head.Framing, head.KeepAlive));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true)]
    public void TryParse_ConnectionHeaderAndVersion_DecideKeepAlive(string text, bool keepAlive) =>
        Assert.Equal(keepAlive, Parse(text).Head.KeepAlive);

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", false)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true)]
    public void TryParse_NoBodyStatusOrHeadRequest_NoBodyAndKeptAlive(string text, bool headRequest)
    {
        var (head, _) = Parse(text, headRequest);

        Assert.Equal(Http1BodyFraming.None, head.Framing);
        Assert.True(head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n", "7")] // describes the representation
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", null)] // must not have one (RFC 9110 §8.6)
    public void TryParse_NoBodyStatus_ContentLengthKeptOnlyWhereAllowed(string text, string? length) =>
        Assert.Equal(length, Header(Parse(text).Head, "Content-Length"));

    [Fact]
    public void TryParse_HeadRequestWithLength_LengthHeaderForTheViewer() =>
        Assert.Equal("7", Header(Parse("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n", headRequest: true).Head, "Content-Length"));

    [Fact]
    public void TryParse_IdenticalContentLengthList_Accepted() =>
        Assert.Equal(42L, Parse("HTTP/1.1 200 OK\r\nContent-Length: 42, 42\r\nContent-Length: 42\r\n\r\n").Head.ContentLength);

    [Fact]
    public void TryParse_ConnectionLevelHeaders_NotForwarded()
    {
        var (head, _) = Parse("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nProxy-Connection: x\r\nAlt-Svc: h3=\":443\"\r\nUpgrade: h2c\r\n"
            + "Connection: keep-alive\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(["Set-Cookie: a=1", "Set-Cookie: b=2", "Content-Length: 0"], head.Headers.Select(h => $"{h.Key}: {h.Value}"));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")] // conflicting lengths: response splitting
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n")] // obsolete line folding
    [InlineData("HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n")] // whitespace before the colon
    [InlineData("HTTP/1.1 200 OK\r\n: 1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX(A): 1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n")] // bare CR
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\nX-B: b\r\n\r\n")] // bare LF
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\0b\r\n\r\n")]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.1 +20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n")]
    [InlineData("http/1.1 200 OK\r\n\r\n")]
    [InlineData("ICY 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\u0001K\r\n\r\n")]
    public void TryParse_MalformedHead_Throws(string text) => AssertInvalid(text);

    [Fact]
    public void TryParse_StatusLineWithoutReason_Accepted() =>
        Assert.Equal(503, Parse("HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n").Head.Status);

    [Fact]
    public void TryParse_HeadLargerThanLimit_Throws()
    {
        var big = "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', Http1ResponseParser.MaxHeadBytes) + "\r\n\r\n";
        AssertInvalid(big);
        // Incomplete but already over the limit: no point reading further.
        Assert.Throws<Http1ProtocolException>(() =>
            Http1ResponseParser.TryParse(Encoding.ASCII.GetBytes(big[..(Http1ResponseParser.MaxHeadBytes + 10)]), false, new Http1ResponseHead(), out _));
    }

    [Fact]
    public void TryParse_TooManyHeaders_Throws() =>
        AssertInvalid("HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Range(0, Http1ResponseParser.MaxHeaderCount + 1).Select(i => $"X-{i}: 1\r\n")) + "\r\n");

    [Fact]
    public void TryParse_ObsTextInValue_KeptAsLatin1() =>
        Assert.Equal("caf\u00e9", Header(Parse("HTTP/1.1 200 OK\r\nX-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n").Head, "X-Name"));

    [Fact]
    public void TryParse_ReusedHead_ResetBetweenResponses()
    {
        var head = new Http1ResponseHead();
        Assert.True(Http1ResponseParser.TryParse("HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 3\r\n\r\n"u8, false, head, out _));
        Assert.True(Http1ResponseParser.TryParse("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"u8, false, head, out _));

        Assert.Equal((404, Http1BodyFraming.Chunked, 0L), (head.Status, head.Framing, head.ContentLength));
        Assert.Empty(head.Headers);
    }

    /// <summary>
    /// Bounded fuzz: valid heads with random byte flips, insertions, deletions and truncations, and random bytes. The parser
    /// either parses (with a consistent result), asks for more, or throws <see cref="Http1ProtocolException"/>; nothing else.
    /// </summary>
    [Fact]
    public void TryParse_FuzzedHeads_OnlyProtocolErrors()
    {
        var seeds = new[]
        {
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=b\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "HTTP/1.0 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 10, 10\r\n\r\n",
            "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
        }.Select(Encoding.ASCII.GetBytes).ToArray();
        var random = new Random(20261127);
        var head = new Http1ResponseHead();
        var interesting = "\r\n: ,;\t\0\u007f0123456789HTTP/1.chunkedContent-Length"u8.ToArray();
        for (var i = 0; i < 30_000; i++)
        {
            byte[] input;
            if (i % 10 == 9)
            {
                input = new byte[random.Next(0, 200)];
                random.NextBytes(input);
            }
            else
            {
                var bytes = seeds[random.Next(seeds.Length)].ToList();
                for (var m = random.Next(1, 5); m > 0 && bytes.Count > 0; m--)
                {
                    var at = random.Next(bytes.Count);
                    var b = random.Next(3) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)];
                    switch (random.Next(4))
                    {
                        case 0: bytes[at] = b; break;
                        case 1: bytes.Insert(at, b); break;
                        case 2: bytes.RemoveAt(at); break;
                        default: bytes.RemoveRange(at, bytes.Count - at); break;
                    }
                }

                input = [.. bytes];
            }

            try
            {
                if (Http1ResponseParser.TryParse(input, random.Next(4) == 0, head, out var consumed))
                {
                    Assert.InRange(consumed, 16, input.Length);
                    Assert.InRange(head.Status, 100, 999);
                    Assert.True(head.Framing != Http1BodyFraming.ContentLength || head.ContentLength > 0);
                    Assert.True(head.Framing != Http1BodyFraming.UntilClose || !head.KeepAlive);
                    Assert.All(head.Headers, h => Assert.False(Http1HeaderRules.SkipResponseHeader(h.Key)));
                }
            }
            catch (Http1ProtocolException)
            {
            }
        }
    }
}
