using Meridian.Edge.Caching;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Edge.Tests.Caching.Http;

/// <summary>The hit path's allocation-free key must be exactly <see cref="CacheKeyBuilder.Build"/>'s key whenever it is produced.</summary>
public sealed class CacheKeyFastFormatTests
{
    private static readonly string[] Methods = ["GET", "HEAD", "get", "POST", "OPTIONS"];
    private static readonly string[] Paths = ["/", "/a", "/static/app.css", "/ü/ünï", "/a b", "/" + new string('x', 300)];
    private static readonly string?[] Queries = [null, "", "?", "?x=1", "?a=1&b=2"];
    private static readonly string?[] Encodings = [null, "", "gzip", "br", "gzip, br", "br;q=0, gzip", "gzip;q=0.0", "deflate, *", " x-gzip ;q=1 ", "GZIP,BR;Q=0.5", ",,", "br;q=abc"];
    private static readonly string?[] Schemes = [null, "http", "HTTPS"];
    private static readonly string?[] Hosts = [null, "www.Example.test", "EXAMPLE.test:8080"];

    [Fact]
    public void TryFormatKey_RandomRequests_EqualsBuildKeyWheneverProduced()
    {
        var random = new Random(20261126);
        var produced = 0;
        Span<char> buffer = stackalloc char[1024];
        for (var i = 0; i < 20_000; i++)
        {
            var config = new CacheKeyConfig(
                Pick(random, [KeyListPolicy.None, KeyListPolicy.All, KeyListPolicy.AllowList]), ["x"],
                random.Next(3) == 0 ? ["X-Device", "accept-language"] : [],
                Pick(random, [KeyListPolicy.None, KeyListPolicy.All]), []);
            var builder = new CacheKeyBuilder(config);
            var headers = RandomAcceptEncoding(random);

            if (random.Next(3) == 0)
            {
                headers.Append("X-Device", random.Next(2) == 0 ? "mobile" : "");
            }

            if (random.Next(4) == 0)
            {
                headers.Append("Cookie", "a=1; b=2");
            }

            var method = Pick(random, Methods);
            var path = Pick(random, Paths);
            var query = Pick(random, Queries);
            var http10 = random.Next(5) == 0;
            var scheme = Pick(random, Schemes);
            var host = Pick(random, Hosts);
            var destination = random.Next(8) == 0 ? buffer[..random.Next(0, 64)] : buffer;

            if (builder.TryFormatKey(destination, method, "site", path, query, headers, http10, scheme, host, out var written, out var keyEncoding))
            {
                produced++;
                var expected = builder.Build(method, "site", path, query, headers, http10, scheme, host);
                Assert.Equal(expected.Key, new string(destination[..written]));
                // The cache stage takes this result instead of Build's: the same origin request must follow.
                var fast = builder.FromFastKey(expected.Key, keyEncoding);
                Assert.Equal(expected.AcceptEncoding, fast.AcceptEncoding);
                Assert.Equal(expected.Origin.Query, fast.Origin.Query);
                Assert.Equal(expected.Origin.HeaderNames, fast.Origin.HeaderNames);
                Assert.Equal(expected.Origin.Cookie, fast.Origin.Cookie);
                Assert.Equal(expected.Origin.AcceptEncoding, fast.Origin.AcceptEncoding);
                Assert.Equal(expected.Origin.ForwardAuthorization, fast.Origin.ForwardAuthorization);
            }
        }

        // The common requests (GET/HEAD, no query the key keeps, one Accept-Encoding line) must take the fast form.
        Assert.True(produced > 5_000, $"only {produced} of 20000 keys were formatted");
    }

    /// <summary>Headers with a random Accept-Encoding (sometimes none, sometimes on two lines).</summary>
    private static HeaderDictionary RandomAcceptEncoding(Random random)
    {
        var headers = new HeaderDictionary();
        if (Pick(random, Encodings) is { } encoding)
        {
            headers.Append("Accept-Encoding", encoding);
            if (random.Next(10) == 0)
            {
                headers.Append("Accept-Encoding", "br");
            }
        }

        return headers;
    }

    [Fact]
    public void OriginShape_RandomRequests_EqualsBuildsOriginShape()
    {
        // A behaviour with caching disabled forwards OriginShape's request instead of Build's: it must be the same request.
        var random = new Random(20261127);
        for (var i = 0; i < 20_000; i++)
        {
            var config = new CacheKeyConfig(
                Pick(random, [KeyListPolicy.None, KeyListPolicy.All, KeyListPolicy.AllowList, KeyListPolicy.AllExcept]), ["x"],
                random.Next(3) == 0 ? ["X-Device", "accept-language"] : [],
                Pick(random, [KeyListPolicy.None, KeyListPolicy.All, KeyListPolicy.AllowList]), ["b"]);
            var builder = new CacheKeyBuilder(config);
            var headers = RandomAcceptEncoding(random);

            if (random.Next(4) == 0)
            {
                headers.Append("Cookie", random.Next(2) == 0 ? "a=1; b=2" : "");
            }

            var method = Pick(random, Methods);
            var query = Pick(random, Queries);
            var http10 = random.Next(5) == 0;

            var expected = builder.Build(method, "site", "/a", query, headers, http10, "http", "www.example.test").Origin;
            var shape = builder.OriginShape(method, query, headers, http10);
            Assert.Equal(expected.Query, shape.Query);
            Assert.Equal(expected.HeaderNames, shape.HeaderNames);
            Assert.Equal(expected.Cookie, shape.Cookie);
            Assert.Equal(expected.AcceptEncoding, shape.AcceptEncoding);
            Assert.Equal(expected.ForwardAuthorization, shape.ForwardAuthorization);
        }
    }

    [Theory]
    [InlineData(600)]
    [InlineData(3000)]
    [InlineData(20000)]
    public void Build_KeyLongerThanStackBuffer_SameKeyAsFastForm(int pathLength)
    {
        // Build formats on the stack up to 512 characters and into pooled arrays beyond: the key must not depend on which.
        var builder = new CacheKeyBuilder(CacheKeyConfig.Default with { Headers = ["X-Device"] });
        var headers = new HeaderDictionary { ["Accept-Encoding"] = "gzip", ["X-Device"] = "mobile" };
        var path = "/" + new string('p', pathLength);
        var buffer = new char[pathLength + 256];

        var key = builder.Build("GET", "site", path, null, headers, false, "http", "Www.Example.Test").Key;

        Assert.True(builder.TryFormatKey(buffer, "GET", "site", path, null, headers, false, "http", "Www.Example.Test", out var written));
        Assert.Equal(new string(buffer, 0, written), key);
        Assert.Contains($"\np{path.Length}:{path}\n", key, StringComparison.Ordinal);
        Assert.StartsWith("m3:GET\nd4:site\ns4:http\nx16:www.example.test\n", key, StringComparison.Ordinal);
        Assert.EndsWith("h8:x-device\nv6:mobile\ne4:gzip\n", key, StringComparison.Ordinal);
    }

    [Fact]
    public void TryFormatKey_PlainGet_Produced()
    {
        var builder = new CacheKeyBuilder(CacheKeyConfig.Default);
        var headers = new HeaderDictionary { ["Accept-Encoding"] = "gzip, deflate, br" };
        Span<char> buffer = stackalloc char[256];

        Assert.True(builder.TryFormatKey(buffer, "GET", "site", "/static/app.css", "", headers, false, "http", "www.example.test", out var written));
        Assert.Equal(builder.Build("GET", "site", "/static/app.css", "", headers, false, "http", "www.example.test").Key, new string(buffer[..written]));
    }

    [Theory]
    [InlineData("POST", null, null)]
    [InlineData("GET", "?x=1", null)]
    [InlineData("GET", null, "a=1")]
    public void TryFormatKey_NeedsFullBuild_ReturnsFalse(string method, string? query, string? cookie)
    {
        var builder = new CacheKeyBuilder(new CacheKeyConfig(KeyListPolicy.All, [], [], KeyListPolicy.All, []));
        var headers = new HeaderDictionary();
        if (cookie is not null)
        {
            headers["Cookie"] = cookie;
        }

        Span<char> buffer = stackalloc char[256];
        Assert.False(builder.TryFormatKey(buffer, method, "site", "/", query, headers, false, null, null, out _));
    }

    [Fact]
    public void TryFormatKeyAndPeek_Hit_AllocatesNothing()
    {
        var store = new CacheStore(new CacheStoreOptions { MemoryBytes = 1 << 20 }, new FakeTimeProvider());
        var builder = new CacheKeyBuilder(CacheKeyConfig.Default);
        var headers = new HeaderDictionary { ["Accept-Encoding"] = "gzip, br" };
        var key = builder.Build("GET", "site", "/a.css", null, headers, false, "http", "www.example.test").Key;
        var fill = store.GetOrBeginFill(key).Fill!;
        Assert.True(fill.Start("site|/a.css", 200, [], new CacheEntryMetadata(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue), 1));
        fill.Append([1]);
        fill.Complete();

        var found = 0;
        Span<char> buffer = stackalloc char[256];
        for (var i = 0; i < 2; i++) // the first round JITs
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var n = 0; n < 100; n++)
            {
                if (builder.TryFormatKey(buffer, "GET", "site", "/a.css", null, headers, false, "http", "www.example.test", out var written)
                    && store.TryPeek(buffer[..written], out _))
                {
                    found++;
                }
            }

            if (i == 1)
            {
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }

        Assert.Equal(200, found);
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
