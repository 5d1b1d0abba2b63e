using Meridian.Forwarding;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Balancer.Tests;

public sealed class DestinationUriCacheTests
{
    private const string Prefix = "http://127.0.0.1:9101";

    [Theory]
    [InlineData("/", "")]
    [InlineData("/api/region", "")]
    [InlineData("/a b/ü", "?x=1&y=%20")]
    [InlineData("/static/app.css", "?v=2")]
    public void Get_AnyPathAndQuery_SameUriAsYarp(string path, string query)
    {
        var cache = new DestinationUriCache();
        var expected = RequestUtilities.MakeDestinationAddress(Prefix, new PathString(path), new QueryString(query.Length == 0 ? null : query));

        var first = cache.Get(Prefix, new PathString(path), new QueryString(query.Length == 0 ? null : query));
        var second = cache.Get(Prefix, new PathString(path), new QueryString(query.Length == 0 ? null : query));

        Assert.Equal(expected.AbsoluteUri, first.AbsoluteUri);
        Assert.Same(first, second);
    }

    [Fact]
    public void Get_DifferentQueryOrPrefix_DifferentUris()
    {
        var cache = new DestinationUriCache();

        var plain = cache.Get(Prefix, new PathString("/a"), QueryString.Empty);
        var withQuery = cache.Get(Prefix, new PathString("/a"), new QueryString("?q=1"));
        var otherTarget = cache.Get("http://127.0.0.2:9101", new PathString("/a"), QueryString.Empty);

        Assert.Equal("http://127.0.0.1:9101/a", plain.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:9101/a?q=1", withQuery.AbsoluteUri);
        Assert.Equal("http://127.0.0.2:9101/a", otherTarget.AbsoluteUri);
    }

    [Fact]
    public void Get_MoreUniquePathsThanCapacity_StaysCorrectAndBounded()
    {
        var cache = new DestinationUriCache();
        var popular = cache.Get(Prefix, new PathString("/popular"), QueryString.Empty);

        for (var i = 0; i < DestinationUriCache.Capacity * 3; i++)
        {
            var path = new PathString($"/scan/{i}");
            Assert.Equal($"{Prefix}/scan/{i}", cache.Get(Prefix, path, QueryString.Empty).AbsoluteUri);
            Assert.InRange(cache.Count, 1, DestinationUriCache.Capacity);
        }

        // Started over at least once: the popular path is built again, still right.
        var again = cache.Get(Prefix, new PathString("/popular"), QueryString.Empty);
        Assert.Equal(popular.AbsoluteUri, again.AbsoluteUri);
    }

    [Fact]
    public void Get_ShortPathLongOnceEscaped_NotKept()
    {
        // 100 decoded characters, ≈ 900 once percent-encoded: the URI's length decides.
        var cache = new DestinationUriCache();
        var path = new PathString("/" + new string('漢', 100));

        var uri = cache.Get(Prefix, path, QueryString.Empty);

        Assert.True(uri.OriginalString.Length > DestinationUriCache.MaxCachedLength);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Get_LongPath_BuiltEveryTimeNotKept()
    {
        var cache = new DestinationUriCache();
        var path = new PathString("/" + new string('a', DestinationUriCache.MaxCachedLength + 1));

        var first = cache.Get(Prefix, path, QueryString.Empty);
        var second = cache.Get(Prefix, path, QueryString.Empty);

        Assert.Equal(first.AbsoluteUri, second.AbsoluteUri);
        Assert.NotSame(first, second);
    }
}
