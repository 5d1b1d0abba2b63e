using Meridian.Edge.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Edge.Tests.Caching;

/// <summary>Hit-for-miss markers in the store: a marked key's miss is a pass (no fill, no collapsing) until the marker ends.</summary>
public sealed class CacheStoreUncacheableTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private CacheStore NewStore() => CacheTestData.Store(1024 * 1024, _time);

    [Fact]
    public void GetOrBeginFill_MarkedKey_PassWithoutFillUntilMarkerExpires()
    {
        var store = NewStore();
        store.Uncacheable.Mark("k");

        Assert.Equal(CacheLookupKind.Pass, store.GetOrBeginFill("k").Kind);
        Assert.Equal(CacheLookupKind.Pass, store.GetOrBeginFill("k").Kind); // no fill was begun: no waiter either
        Assert.Equal(CacheLookupKind.Fill, store.GetOrBeginFill("other").Kind);

        _time.Advance(UncacheableMarkers.Lifetime);
        var lookup = store.GetOrBeginFill("k");
        Assert.Equal(CacheLookupKind.Fill, lookup.Kind);
        Assert.Equal(0, store.Uncacheable.Count);
        lookup.Fill!.Abandon();
    }

    [Fact]
    public void GetOrBeginFill_StoredEntryAndMarker_StoredEntryWins()
    {
        var store = NewStore();
        store.Set("k", "/k", 200, CacheTestData.NoHeaders, CacheTestData.Metadata(), [1]);
        store.Uncacheable.Mark("k");

        Assert.Equal(CacheLookupKind.Hit, store.GetOrBeginFill("k").Kind);
    }

    [Fact]
    public void Mark_SameKeyAgain_CountedOnceAndRenewedOnlyPastHalfLife()
    {
        var store = NewStore();
        store.Uncacheable.Mark("k");
        store.Uncacheable.Mark("k");
        Assert.Equal(1, store.Uncacheable.Count);

        _time.Advance(UncacheableMarkers.Lifetime / 4);
        store.Uncacheable.Mark("k"); // young: left alone
        _time.Advance(UncacheableMarkers.Lifetime * 3 / 4);
        Assert.False(store.Uncacheable.IsMarked("k"));
        Assert.Equal(0, store.Uncacheable.Count);

        store.Uncacheable.Mark("k");
        _time.Advance(UncacheableMarkers.Lifetime * 3 / 4);
        store.Uncacheable.Mark("k"); // past half its life: renewed
        _time.Advance(UncacheableMarkers.Lifetime / 2);
        Assert.True(store.Uncacheable.IsMarked("k"));
    }

    [Fact]
    public void Clear_And_Invalidate_RemoveMarkers()
    {
        var store = NewStore();
        store.Uncacheable.Mark("a");
        store.Uncacheable.Mark("b");

        store.Uncacheable.Clear("a");
        Assert.False(store.Uncacheable.IsMarked("a"));
        Assert.True(store.Uncacheable.IsMarked("b"));
        store.Invalidate("/*");
        Assert.False(store.Uncacheable.IsMarked("b"));
    }
}
