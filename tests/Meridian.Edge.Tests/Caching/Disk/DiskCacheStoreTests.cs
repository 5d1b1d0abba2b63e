using Meridian.Edge.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Edge.Tests.Caching.Disk;

/// <summary>The memory store over its disk tier.</summary>
public sealed class DiskCacheStoreTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(CacheTestData.Now); // CacheTestData.Metadata is fresh for 60 s from Now
    private CacheStore _store = null!;

    public Task InitializeAsync()
    {
        _store = Store(64 * 1024);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _folder.Dispose();
    }

    private CacheStoreOptions Options(long memoryBytes) => new()
    {
        MemoryBytes = memoryBytes,
        DiskPath = _folder.Path,
        DiskBytes = 10 * 1024 * 1024,
    };

    private CacheStore Store(long memoryBytes) => new(Options(memoryBytes), _clock);

    private void EvictFromMemory(CacheStore store, string key)
    {
        for (var i = 0; store.Contains(key); i++)
        {
            Assert.True(i < 100, "never evicted");
            Put(store, "filler" + i, 6000);
        }
    }

    private void Put(CacheStore store, string key, int bytes) =>
        Assert.True(store.Set(key, "/" + key, 200, CacheTestData.TextHeaders, CacheTestData.Metadata(), CacheTestData.Bytes(bytes, (byte)key.Length)));

    private static Task WrittenAsync(CacheStore store) => Poll.UntilAsync(() => store.Disk!.PendingWrites == 0, "disk writes done");

    [Fact]
    public async Task TryLoadFromDiskAsync_EvictedFromMemory_ReadBackAndStoredAgain()
    {
        Put(_store, "a", 6000);
        await WrittenAsync(_store);
        for (var i = 0; i < 20; i++)
        {
            Put(_store, "filler" + i, 6000); // 120 KB through a 64 KiB memory tier: "a" is evicted
        }

        await WrittenAsync(_store);
        Assert.False(_store.Contains("a"));

        var lookup = _store.GetOrBeginFill("a");
        Assert.Equal(CacheLookupKind.Fill, lookup.Kind);
        var waiter = _store.GetOrBeginFill("a");
        Assert.Equal(CacheLookupKind.Wait, waiter.Kind);
        var loaded = await _store.TryLoadFromDiskAsync(lookup.Fill!);

        Assert.NotNull(loaded);
        Assert.Equal(CacheTestData.Bytes(6000, 1), await CacheTestData.ReadAllAsync(loaded));
        Assert.True(_store.Contains("a"));
        var waited = await waiter.WaitAsync();
        Assert.Same(loaded, waited);
        Assert.Equal(1, _store.GetCounters().Disk!.Hits);
    }

    [Fact]
    public async Task TryLoadFromDiskAsync_NotOnDisk_NullAndFillStillTheCallers()
    {
        var fill = _store.GetOrBeginFill("x").Fill!;

        Assert.Null(await _store.TryLoadFromDiskAsync(fill));

        Assert.True(fill.Start("/x", 200, CacheTestData.NoHeaders, CacheTestData.Metadata()));
        fill.Append([1]);
        fill.Complete();
        Assert.True(_store.Contains("x"));
    }

    [Fact]
    public async Task LoadedEntry_NotWrittenBack()
    {
        Put(_store, "a", 100);
        await WrittenAsync(_store);
        _store.Remove("a");
        Put(_store, "b", 100);
        await WrittenAsync(_store);
        await _store.DisposeAsync();

        _store = Store(64 * 1024);
        await _store.Disk!.Loaded;
        var loaded = await _store.TryLoadFromDiskAsync(_store.GetOrBeginFill("b").Fill!);
        await WrittenAsync(_store);

        Assert.NotNull(loaded);
        Assert.False(_store.Disk.Contains("a")); // removed from both tiers before the restart
        Assert.Equal(0, _store.GetCounters().Disk!.Writes);
    }

    [Fact]
    public async Task Invalidate_EntriesInBothTiers_CountedOnceAndGoneFromDisk()
    {
        Put(_store, "p1", 100);
        Put(_store, "p2", 100);
        await WrittenAsync(_store);

        Assert.Equal(1, _store.Invalidate("/p1"));

        Assert.False(_store.Disk!.Contains("p1"));
        Assert.True(_store.Disk.Contains("p2"));
        Assert.Null(await _store.TryLoadFromDiskAsync(_store.GetOrBeginFill("p1").Fill!));
    }

    [Fact]
    public async Task Refresh_RewritesTheDiskCopyWithNewMetadata()
    {
        Put(_store, "r", 100);
        await WrittenAsync(_store);
        var later = CacheTestData.Metadata(ttlSeconds: 3600, etag: "\"v2\"");

        Assert.True(_store.Refresh("r", later));
        await WrittenAsync(_store);
        var onDisk = await DiskCacheTierTests.ReadAsync(_store.Disk!, "r");

        Assert.Equal(later, onDisk!.Metadata);
        onDisk.Body.Release();
    }

    [Fact]
    public async Task Reconfigure_DiskRemoved_MemoryOnly()
    {
        Put(_store, "k", 100);
        await WrittenAsync(_store);

        _store.Reconfigure(new CacheStoreOptions { MemoryBytes = 64 * 1024 });

        Assert.Null(_store.Disk);
        Assert.Null(_store.GetCounters().Disk);
        Assert.True(_store.Contains("k"));
    }

    [Fact]
    public async Task TryLoadFromDiskAsync_ExpiredOnDisk_WaitersGoToOriginFillerGetsItToRevalidate()
    {
        var time = _clock;
        Put(_store, "stale", 100); // max-age 60
        await WrittenAsync(_store);
        EvictFromMemory(_store, "stale");
        await WrittenAsync(_store);
        time.Advance(TimeSpan.FromMinutes(10));
        var fill = _store.GetOrBeginFill("stale");
        var waiter = _store.GetOrBeginFill("stale");

        var loaded = await _store.TryLoadFromDiskAsync(fill.Fill!);

        Assert.NotNull(loaded); // the filler gets it (to revalidate with its validators)...
        Assert.True(time.GetUtcNow() >= loaded.Metadata.Expires);
        Assert.Null(await waiter.WaitAsync()); // ...its waiters would serve it as a hit: they go to the origin
    }

    [Fact]
    public async Task Demote_EntryStoredBeforeADiskInvalidation_NotWrittenBack()
    {
        Put(_store, "x", 100);
        await WrittenAsync(_store);
        // Store.Invalidate reaches the disk before it sweeps memory: an eviction in between must not write x back.
        Assert.Equal(["x"], _store.Disk!.Invalidate("/x"));

        EvictFromMemory(_store, "x");
        await WrittenAsync(_store);

        Assert.False(_store.Disk.Contains("x"));
        Assert.False(File.Exists(_store.Disk.PathFor("x")));
    }

    [Fact]
    public async Task Reconfigure_DiskTurnedOffAndOnAgain_OldFilesDiscarded()
    {
        Put(_store, "k", 100);
        await WrittenAsync(_store);
        var file = _store.Disk!.PathFor("k");

        _store.Reconfigure(new CacheStoreOptions { MemoryBytes = 64 * 1024 });
        _store.Reconfigure(Options(64 * 1024));
        await _store.Disk!.Loaded;

        // Invalidations while the tier was off never reached these files: they are not trusted.
        Assert.False(_store.Disk.Contains("k"));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task CacheStageReconfigure_DiskFolderIsAFile_ThrowsAndKeepsTheCurrentTier()
    {
        await using var stage = new CacheStage(Options(64 * 1024), TimeProvider.System);
        var store = stage.Store("loc");
        var tier = store.Disk;
        var file = Path.Combine(_folder.Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");

        var error = Assert.Throws<IOException>(() => stage.Reconfigure(Options(64 * 1024) with { DiskPath = file }));

        Assert.Contains("not-a-folder", error.Message, StringComparison.Ordinal);
        Assert.Same(tier, store.Disk);
        Assert.Same(store, stage.Store("loc"));
        Assert.Equal(Path.Combine(_folder.Path, "other"), stage.Store("other").Disk!.Folder); // the options were not replaced
    }

    [Fact]
    public async Task CompleteFromDisk_InvalidatedAfterTheRead_NotStoredWaitersGoToOrigin()
    {
        Put(_store, "x", 100);
        await WrittenAsync(_store);
        EvictFromMemory(_store, "x");
        var fill = _store.GetOrBeginFill("x").Fill!;
        var waiter = _store.GetOrBeginFill("x");
        var (entry, epoch) = (await _store.Disk!.TryReadAsync("x"))!.Value;

        _store.Disk.Invalidate("/x"); // lands between the read and the insert
        fill.CompleteFromDisk(entry, epoch, fresh: true);

        Assert.False(_store.Contains("x"));
        Assert.Null(await waiter.WaitAsync());
        Assert.False(entry.Body.TryOpenReader(out _)); // released, not leaked
    }
}
