using Meridian.Edge.Caching;

namespace Meridian.Edge.Tests.Caching;

/// <summary>A reloaded topology with another cache size resizes the running stores.</summary>
public sealed class CacheStoreReconfigureTests
{
    private static readonly long EntrySize = CacheTestData.EmptyEntrySize("k000", "/k000");

    private static string Key(int i) => $"k{i:D3}";

    [Fact]
    public void Reconfigure_Smaller_EvictsDownToNewBoundKeepingHotEntries()
    {
        var store = CacheTestData.Store(20 * EntrySize);
        for (var i = 0; i < 20; i++)
        {
            store.SetEmpty(Key(i));
        }

        for (var i = 15; i < 20; i++)
        {
            Assert.True(store.TryGet(Key(i), out _)); // hot: hit once
        }

        store.Reconfigure(store.Options with { MemoryBytes = 8 * EntrySize });

        Assert.True(store.BytesStored <= 8 * EntrySize, $"{store.BytesStored} > {8 * EntrySize}");
        Assert.Equal(8, store.Count);
        for (var i = 15; i < 20; i++)
        {
            Assert.True(store.Contains(Key(i)), $"hot {Key(i)} evicted");
        }

        Assert.Equal(12, store.GetCounters().Evictions);
    }

    [Fact]
    public void Reconfigure_Larger_KeepsEverythingAndGrows()
    {
        var store = CacheTestData.Store(5 * EntrySize);
        for (var i = 0; i < 5; i++)
        {
            store.SetEmpty(Key(i));
        }

        store.Reconfigure(store.Options with { MemoryBytes = 10 * EntrySize });
        for (var i = 5; i < 10; i++)
        {
            store.SetEmpty(Key(i));
        }

        Assert.Equal(10, store.Count);
        Assert.Equal(0, store.GetCounters().Evictions);
    }

    [Fact]
    public async Task Apply_CacheMemoryChanged_RunningStoreResized()
    {
        await using var origin = await Integration.CacheOrigin.StartAsync(Integration.CacheOrigin.Text("max-age=60", new string('x', 10_000)));
        var config = Integration.CacheOrigin.Config([origin]);
        await using var edge = await EdgeHarness.StartAsync(config);
        for (var i = 0; i < 10; i++)
        {
            using var response = await edge.GetAsync($"/o{i}");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        var before = edge.Server.GetCacheMetrics(EdgeHarness.Location);
        Assert.Equal(10, before.Entries);

        edge.Server.Apply(config with { Cache = config.Cache with { MemoryBytes = 50_000 } });

        var after = edge.Server.GetCacheMetrics(EdgeHarness.Location);
        Assert.True(after.BytesStored <= 50_000, $"{after.BytesStored} bytes stored after shrinking to 50,000");
        Assert.True(after.Entries is > 0 and < 10, $"{after.Entries} entries");
    }
}
