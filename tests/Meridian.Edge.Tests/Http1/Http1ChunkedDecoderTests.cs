using System.Text;
using Meridian.Edge.Http1;

namespace Meridian.Edge.Tests.Http1;

public sealed class Http1ChunkedDecoderTests
{
    /// <summary>Feeds <paramref name="wire"/> in pieces of the given sizes, as reads would deliver it; returns the body and what is left after it.</summary>
    private static (byte[] Body, int Left, bool Done) Decode(byte[] wire, Func<int> pieceSize)
    {
        var decoder = new Http1ChunkedDecoder();
        var body = new List<byte>();
        var available = 0; // bytes delivered so far
        var start = 0; // first byte not consumed
        while (!decoder.IsDone)
        {
            var data = decoder.Decode(wire.AsSpan(start, available - start), out var consumed);
            start += consumed;
            body.AddRange(data.ToArray());
            if (data.IsEmpty && consumed == 0 && !decoder.IsDone)
            {
                if (available == wire.Length)
                {
                    return ([.. body], wire.Length - start, false);
                }

                available = Math.Min(wire.Length, available + Math.Max(1, pieceSize()));
            }
        }

        return ([.. body], wire.Length - start, true);
    }

    [Fact]
    public void Decode_WholeBody_DataThenDoneAndNothingPastTheEnd()
    {
        var wire = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\nHTTP/1.1"u8.ToArray();

        var (body, left, done) = Decode(wire, () => wire.Length);

        Assert.True(done);
        Assert.Equal("hello, world", Encoding.ASCII.GetString(body));
        Assert.Equal("HTTP/1.1".Length, left); // the next response's bytes are not touched
    }

    [Fact]
    public void Decode_OneByteAtATime_SameBody()
    {
        var wire = "A\r\n0123456789\r\n1\r\n!\r\n0\r\nX-Sum: 1\r\nX-Other: 2\r\n\r\n"u8.ToArray();

        var (body, left, done) = Decode(wire, () => 1);

        Assert.True(done);
        Assert.Equal("0123456789!", Encoding.ASCII.GetString(body));
        Assert.Equal(0, left);
    }

    [Fact]
    public void Decode_UpperAndLowerHexWithWhitespaceBeforeExtension_Accepted()
    {
        var wire = ("1a ;name=\"v\"\r\n" + new string('x', 26) + "\r\n0\r\n\r\n").Select(c => (byte)c).ToArray();

        Assert.Equal(26, Decode(wire, () => 3).Body.Length);
    }

    [Theory]
    [InlineData("\r\nhello\r\n0\r\n\r\n")] // no size
    [InlineData("g\r\nhello\r\n0\r\n\r\n")]
    [InlineData("-5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5 x\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX0\r\n\r\n")] // data not followed by CRLF
    [InlineData("1000000000000000\r\n")] // 16 hex digits: over the bound
    [InlineData("0\r\nno colon\r\n\r\n")]
    public void Decode_MalformedBody_Throws(string wire) =>
        Assert.Throws<Http1ProtocolException>(() => Decode(Encoding.ASCII.GetBytes(wire), () => 4));

    [Fact]
    public void Decode_EndlessSizeLine_ThrowsInsteadOfBuffering() =>
        Assert.Throws<Http1ProtocolException>(() => Decode(Encoding.ASCII.GetBytes("5;" + new string('e', Http1ChunkedDecoder.MaxLineBytes + 10)), () => 512));

    [Fact]
    public void Decode_TruncatedBody_NeverDone()
    {
        var (body, _, done) = Decode("5\r\nhel"u8.ToArray(), () => 2);

        Assert.False(done);
        Assert.Equal("hel", Encoding.ASCII.GetString(body));
    }

    /// <summary>Bounded fuzz: random bodies in random chunk sizes, delivered in random pieces, decode to the same bytes.</summary>
    [Fact]
    public void Decode_RandomChunkingAndPieces_RoundTrips()
    {
        var random = new Random(1127);
        for (var i = 0; i < 2_000; i++)
        {
            var body = new byte[random.Next(0, 3000)];
            random.NextBytes(body);
            var wire = new List<byte>();
            for (var at = 0; at < body.Length;)
            {
                var size = Math.Min(body.Length - at, random.Next(1, 700));
                wire.AddRange(Encoding.ASCII.GetBytes(random.Next(2) == 0 ? $"{size:x}\r\n" : $"{size:X};n=v\r\n"));
                wire.AddRange(body.AsSpan(at, size).ToArray());
                wire.AddRange("\r\n"u8.ToArray());
                at += size;
            }

            wire.AddRange(Encoding.ASCII.GetBytes(random.Next(2) == 0 ? "0\r\n\r\n" : "0\r\nX-T: 1\r\n\r\n"));
            var (decoded, left, done) = Decode([.. wire], () => random.Next(1, 900));

            Assert.True(done);
            Assert.Equal(0, left);
            Assert.Equal(body, decoded);
        }
    }

    /// <summary>Bounded fuzz: mutated chunked bodies only ever decode or throw <see cref="Http1ProtocolException"/>.</summary>
    [Fact]
    public void Decode_MutatedBodies_OnlyProtocolErrors()
    {
        var random = new Random(2711);
        var seed = "5\r\nhello\r\nA;x=y\r\n0123456789\r\n0\r\nT: v\r\n\r\n"u8.ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            var wire = seed.ToList();
            for (var m = random.Next(1, 4); m > 0 && wire.Count > 0; m--)
            {
                var at = random.Next(wire.Count);
                var b = (byte)"\r\n0aF;: \tz\0"[random.Next(11)];
                switch (random.Next(3))
                {
                    case 0: wire[at] = b; break;
                    case 1: wire.Insert(at, b); break;
                    default: wire.RemoveAt(at); break;
                }
            }

            try
            {
                var (body, left, _) = Decode([.. wire], () => random.Next(1, 16));
                Assert.InRange(left, 0, wire.Count);
                Assert.True(body.Length <= wire.Count);
            }
            catch (Http1ProtocolException)
            {
            }
        }
    }
}
