using Meridian.Edge.Caching;

namespace Meridian.Edge.Tests.Caching;

public sealed class CacheStoreEvictionTests
{
    // Keys of one length so every entry has the same accounted size and capacities read in entries.
    private static readonly long EntrySize = CacheTestData.EmptyEntrySize("k000", "/k000");

    private static string Key(int i) => $"k{i:D3}";

    private static CacheStore StoreOf(int entries) => CacheTestData.Store(entries * EntrySize);

    [Fact]
    public void Set_OneMoreThanCapacity_EvictsOldestUnhitEntry()
    {
        var store = StoreOf(10);
        for (var i = 0; i <= 10; i++)
        {
            store.SetEmpty(Key(i));
        }

        Assert.False(store.TryGet(Key(0), out _));
        for (var i = 1; i <= 10; i++)
        {
            Assert.True(store.TryGet(Key(i), out _), Key(i));
        }

        Assert.Equal(1, store.GetCounters().Evictions);
        Assert.Equal(10 * EntrySize, store.BytesStored);
    }

    [Fact]
    public void Set_OldestWasHit_PromotedToMainAndNextOldestEvicted()
    {
        var store = StoreOf(10);
        for (var i = 0; i < 10; i++)
        {
            store.SetEmpty(Key(i));
        }

        Assert.True(store.TryGet(Key(0), out _));
        store.SetEmpty(Key(10));

        Assert.True(store.TryGet(Key(0), out _));
        Assert.False(store.TryGet(Key(1), out _));
    }

    [Fact]
    public void Set_KeyInGhostQueue_ReturnsToMainAndOutlivesNewKeys()
    {
        var store = StoreOf(10);
        for (var i = 0; i <= 10; i++)
        {
            store.SetEmpty(Key(i)); // k000 evicted into the ghost queue
        }

        store.SetEmpty(Key(0)); // remembered: straight to main, evicting k001 from small
        for (var i = 11; i < 16; i++)
        {
            store.SetEmpty(Key(i));
        }

        Assert.True(store.TryGet(Key(0), out _));
        Assert.False(store.TryGet(Key(1), out _));
        Assert.False(store.TryGet(Key(5), out _));
    }

    [Fact]
    public void Set_MainOverNinetyPercent_HitEntriesGetSecondChanceUnhitEvicted()
    {
        var store = StoreOf(10);
        for (var i = 0; i < 10; i++)
        {
            store.SetEmpty(Key(i));
            store.TryGet(Key(i), out _);
        }

        store.SetEmpty(Key(10)); // all ten promoted; main over 9 entries evicts its oldest, k000
        Assert.False(store.Contains(Key(0)));

        store.TryGet(Key(1), out _);
        store.TryGet(Key(2), out _);
        store.SetEmpty(Key(11)); // small over 10%: k010, never hit, is evicted
        store.TryGet(Key(11), out _);
        store.SetEmpty(Key(12)); // k011 promoted; main full: k001, k002 reinserted, k003 evicted

        Assert.False(store.Contains(Key(10)));
        Assert.False(store.Contains(Key(3)));
        Assert.True(store.Contains(Key(1)));
        Assert.True(store.Contains(Key(2)));
        Assert.True(store.Contains(Key(11)));
        Assert.True(store.Contains(Key(12)));
        Assert.Equal(10 * EntrySize, store.BytesStored);
    }

    [Fact]
    public void Set_ScanOfManyKeysAfterWarmup_HotSetSurvivesWhereLruLosesIt()
    {
        const int capacity = 1000, hot = 100, scan = 10_000;
        var store = CacheTestData.Store(capacity * CacheTestData.EmptyEntrySize("h00000", "/h00000"));
        var lru = new LruCache(capacity);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < hot; i++)
            {
                var key = $"h{i:D5}";
                lru.Access(key);
                if (!store.TryGet(key, out _))
                {
                    store.SetEmpty(key);
                }
            }
        }

        for (var i = 0; i < scan; i++)
        {
            var key = $"s{i:D5}";
            lru.Access(key);
            store.SetEmpty(key);
        }

        var storeKept = Enumerable.Range(0, hot).Count(i => store.TryGet($"h{i:D5}", out _));
        var lruKept = Enumerable.Range(0, hot).Count(i => lru.Contains($"h{i:D5}"));
        Assert.Equal(hot, storeKept);
        Assert.Equal(0, lruKept);
    }

    [Fact]
    public void Set_ChurnOfMixedSizes_BytesNeverAboveBound()
    {
        const long memory = 256 * 1024;
        var store = CacheTestData.Store(memory);
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            var key = $"c{random.Next(2_000)}";
            if (random.Next(4) == 0)
            {
                store.TryGet(key, out _);
                continue;
            }

            store.Set(key, "/" + key, 200, CacheTestData.TextHeaders, CacheTestData.Metadata(), new byte[random.Next(0, 20_000)]);
            Assert.InRange(store.BytesStored, 0, memory);
        }

        Assert.True(store.GetCounters().Evictions > 0);
        Assert.Equal(store.Count, store.GetCounters().Entries);
    }

    [Fact]
    public void Set_SameKeyTwice_ReplacesAndAccountsOnce()
    {
        var store = StoreOf(10);
        store.SetEmpty(Key(1));
        store.SetEmpty(Key(1));

        Assert.Equal(1, store.Count);
        Assert.Equal(EntrySize, store.BytesStored);
    }
}
