using Meridian.Edge.Caching;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Tests.Caching;

/// <summary>A behaviour with caching disabled resolves its per-location state once and shares hooks of common shapes.</summary>
public sealed class UncachedBehaviorTests
{
    private static readonly CacheBehaviorConfig Api = new() { PathPattern = "/api/*", Target = "app", CachingDisabled = true };

    [Fact]
    public void At_SameLocation_OneEntryCountingIntoTheRegistry()
    {
        var metrics = new CacheMetricsRegistry();
        var behavior = new UncachedBehavior("cdn", Api, new CacheKeyBuilder(CacheKeyConfig.Default));

        var us = behavior.At("edge-us", "1.1 edge-us (Meridian)", metrics);
        var usAgain = behavior.At(new string("edge-us".AsSpan()), "1.1 edge-us (Meridian)", metrics); // equal, not the same string
        var eu = behavior.At("edge-eu", "1.1 edge-eu (Meridian)", metrics);
        us.Counters.Miss();

        Assert.Same(us, usAgain);
        Assert.NotSame(us, eu);
        Assert.Equal(("Miss from edge-us", "Error from edge-us"), (us.XCacheMiss, us.XCacheError));
        Assert.Same(metrics.For("edge-us", "cdn", "/api/*"), us.Counters);
        Assert.Equal(1, Assert.Single(metrics.Snapshot("edge-us")).Misses);
    }

    [Fact]
    public void Hook_SharedShape_ReusedAndOthersNew()
    {
        var builder = new CacheKeyBuilder(new CacheKeyConfig(KeyListPolicy.All, [], [], KeyListPolicy.None, []));
        var at = new UncachedBehavior("cdn", Api, builder).At("edge-us", "1.1 edge-us (Meridian)", new CacheMetricsRegistry());
        var headers = new HeaderDictionary { ["Accept-Encoding"] = "gzip" };

        var plain = builder.OriginShape("GET", null, headers, http10: false, out var plainShared);
        var again = builder.OriginShape("GET", "", headers, http10: false, out _);
        var withQuery = builder.OriginShape("GET", "?q=1", headers, http10: false, out var queryShared);

        Assert.True(plainShared);
        Assert.False(queryShared);
        Assert.Same(at.Hook(plain, plainShared), at.Hook(again, shared: true));
        Assert.NotSame(at.Hook(withQuery, queryShared), at.Hook(withQuery, queryShared));
        Assert.Equal("q=1", at.Hook(withQuery, queryShared).OriginQuery);
    }
}
