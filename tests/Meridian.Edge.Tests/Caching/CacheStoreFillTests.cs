using Meridian.Edge.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Edge.Tests.Caching;

public sealed class CacheStoreFillTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10); // only ever reached when a test fails

    private readonly CacheStore _store = CacheTestData.Store(1024 * 1024);

    private static void Start(CacheFill fill, string path = "/k", long? contentLength = null) =>
        fill.Start(path, 200, CacheTestData.TextHeaders, CacheTestData.Metadata(), contentLength);

    [Fact]
    public void GetOrBeginFill_Miss_ReturnsFillerThenHitAfterComplete()
    {
        var lookup = _store.GetOrBeginFill("k");
        Assert.Equal(CacheLookupKind.Fill, lookup.Kind);
        using (var fill = lookup.Fill!)
        {
            Start(fill);
            fill.Append([1, 2, 3]);
            fill.Complete();
        }

        var hit = _store.GetOrBeginFill("k");
        Assert.Equal(CacheLookupKind.Hit, hit.Kind);
        Assert.Equal(3, hit.Entry!.Body.Length);
        var counters = _store.GetCounters();
        Assert.Equal((1L, 1L, 1L), (counters.Hits, counters.Misses, counters.Entries));
    }

    [Fact]
    public async Task GetOrBeginFill_HundredConcurrentMisses_OneFillerAllReadSameBytes()
    {
        var store = CacheTestData.Store(4 * 1024 * 1024); // 200 kB is below its 512 KiB max object
        var body = CacheTestData.Bytes(200_000, 9);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lookups = Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return store.GetOrBeginFill("k");
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(lookups).WaitAsync(Bound);

        var fillers = results.Where(r => r.Kind == CacheLookupKind.Fill).ToArray();
        Assert.Single(fillers);
        Assert.Equal(99, results.Count(r => r.Kind == CacheLookupKind.Wait));
        Assert.Equal(99, store.GetCounters().CollapsedWaits);

        var readers = results.Where(r => r.Kind == CacheLookupKind.Wait).Select(r => Task.Run(async () =>
        {
            var entry = await r.WaitAsync();
            Assert.NotNull(entry);
            return await CacheTestData.ReadAllAsync(entry);
        })).ToArray();
        using (var fill = fillers[0].Fill!)
        {
            Start(fill);
            for (var offset = 0; offset < body.Length; offset += 7_000)
            {
                fill.Append(body.AsSpan(offset, Math.Min(7_000, body.Length - offset)));
            }

            fill.Complete();
        }

        foreach (var read in await Task.WhenAll(readers).WaitAsync(Bound))
        {
            Assert.Equal(body, read);
        }

        Assert.True(store.TryGet("k", out var stored));
        Assert.Equal(body, await CacheTestData.ReadAllAsync(stored));
    }

    [Fact]
    public async Task ReadAsync_FillInProgress_SeesFirstChunkBeforeComplete()
    {
        using var fill = _store.GetOrBeginFill("k").Fill!;
        var waiter = _store.GetOrBeginFill("k");
        Start(fill);
        fill.Append([1, 2, 3]);

        var entry = await waiter.WaitAsync().AsTask().WaitAsync(Bound);
        Assert.NotNull(entry);
        Assert.True(entry.Body.TryOpenReader(out var reader));
        using (reader)
        {
            Assert.Equal(new byte[] { 1, 2, 3 }, (await reader.ReadAsync().AsTask().WaitAsync(Bound)).ToArray());

            var next = reader.ReadAsync().AsTask();
            Assert.False(next.IsCompleted); // waits for the filler
            fill.Append([4]);
            Assert.Equal(new byte[] { 4 }, (await next.WaitAsync(Bound)).ToArray());

            var end = reader.ReadAsync().AsTask();
            fill.Complete();
            Assert.True((await end.WaitAsync(Bound)).IsEmpty);
        }
    }

    [Fact]
    public async Task Fail_MidStream_ReaderGetsErrorAndNothingStored()
    {
        var fill = _store.GetOrBeginFill("k").Fill!;
        var waiter = _store.GetOrBeginFill("k");
        Start(fill);
        fill.Append([1, 2]);
        var entry = await waiter.WaitAsync().AsTask().WaitAsync(Bound);
        Assert.True(entry!.Body.TryOpenReader(out var reader));
        using (reader)
        {
            await reader.ReadAsync();
            var pending = reader.ReadAsync().AsTask();

            fill.Fail(new IOException("origin reset"));

            var error = await Assert.ThrowsAsync<CacheFillFailedException>(() => pending.WaitAsync(Bound));
            Assert.IsType<IOException>(error.InnerException);
        }

        Assert.False(_store.TryGet("k", out _));
        Assert.Equal(0, _store.BytesStored);
        Assert.Equal(1, _store.GetCounters().FillFailures);
        Assert.Equal(CacheLookupKind.Fill, _store.GetOrBeginFill("k").Kind); // the next miss fills again
    }

    [Fact]
    public async Task Fail_BeforeHeaders_WaiterGoesToOrigin()
    {
        var fill = _store.GetOrBeginFill("k").Fill!;
        var waiter = _store.GetOrBeginFill("k").WaitAsync().AsTask();

        fill.Fail(new HttpRequestException("connect refused"));

        Assert.Null(await waiter.WaitAsync(Bound));
    }

    [Fact]
    public async Task Dispose_UnfinishedFill_FailsReaders()
    {
        var fill = _store.GetOrBeginFill("k").Fill!;
        var waiter = _store.GetOrBeginFill("k");
        Start(fill);
        var entry = await waiter.WaitAsync();
        Assert.True(entry!.Body.TryOpenReader(out var reader));
        var pending = reader.ReadAsync().AsTask();

        fill.Dispose();

        await Assert.ThrowsAsync<CacheFillFailedException>(() => pending.WaitAsync(Bound));
        reader.Dispose();
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task WaitAsync_FillerNeverStarts_TimesOutToOrigin()
    {
        var time = new FakeTimeProvider(CacheTestData.Now);
        var store = CacheTestData.Store(1024 * 1024, time, waitTimeout: TimeSpan.FromSeconds(3));
        using var fill = store.GetOrBeginFill("k").Fill!;
        var waiter = store.GetOrBeginFill("k").WaitAsync().AsTask();

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(waiter.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await waiter.WaitAsync(Bound));
        Assert.Equal(1, store.GetCounters().WaitTimeouts);
    }

    [Fact]
    public async Task Start_DeclaredLengthAboveMaxObject_NotStoredWaitersGoToOrigin()
    {
        var store = CacheTestData.Store(1024 * 1024, maxObjectBytes: 1000);
        var fill = store.GetOrBeginFill("k").Fill!;
        var waiter = store.GetOrBeginFill("k").WaitAsync().AsTask();

        Assert.False(fill.Start("/k", 200, CacheTestData.NoHeaders, CacheTestData.Metadata(), contentLength: 1001));
        fill.Append(new byte[1001]);
        fill.Complete();

        Assert.Null(await waiter.WaitAsync(Bound));
        Assert.False(store.TryGet("k", out _));
        Assert.Equal(1, store.GetCounters().OversizeFills);
    }

    [Fact]
    public async Task Append_UnknownLengthGrowsAboveMaxObject_NotStoredReadersFail()
    {
        var store = CacheTestData.Store(1024 * 1024, maxObjectBytes: 1000);
        var fill = store.GetOrBeginFill("k").Fill!;
        var waiter = store.GetOrBeginFill("k");
        Assert.True(fill.Start("/k", 200, CacheTestData.NoHeaders, CacheTestData.Metadata()));
        fill.Append(new byte[600]);
        var entry = await waiter.WaitAsync();
        Assert.True(entry!.Body.TryOpenReader(out var reader));
        using (reader)
        {
            Assert.Equal(600, (await reader.ReadAsync()).Length);

            fill.Append(new byte[600]);
            fill.Append(new byte[600]); // the filler keeps streaming its own response; the store ignores it
            fill.Complete();

            await Assert.ThrowsAsync<CacheFillFailedException>(() => reader.ReadAsync().AsTask().WaitAsync(Bound));
        }

        Assert.False(store.TryGet("k", out _));
        Assert.Equal(0, store.BytesStored);
        Assert.Equal(1, store.GetCounters().OversizeFills);
    }

    [Fact]
    public void Set_AboveMaxObject_NotStored()
    {
        var store = CacheTestData.Store(8000);

        Assert.False(store.Set("k", "/k", 200, CacheTestData.NoHeaders, CacheTestData.Metadata(), new byte[1001]));
        Assert.True(store.Set("k", "/k", 200, CacheTestData.NoHeaders, CacheTestData.Metadata(), new byte[100]));
    }

    [Fact]
    public void TryBeginFill_StaleEntryStored_OneRevalidationAtATime()
    {
        _store.Set("k", "/k", 200, CacheTestData.NoHeaders, CacheTestData.Metadata(), [1]);

        Assert.True(_store.TryBeginFill("k", out var fill));
        Assert.False(_store.TryBeginFill("k", out _));
        Assert.Equal(CacheLookupKind.Hit, _store.GetOrBeginFill("k").Kind);
        Start(fill);
        fill.Append([2, 2]);
        fill.Complete();

        Assert.True(_store.TryGet("k", out var entry));
        Assert.Equal(2, entry.Body.Length);
    }

    [Fact]
    public void TryBeginRefresh_EntryReplacedAfterItWasRead_NoSecondRefresh()
    {
        _store.Set("k", "/k", 200, CacheTestData.NoHeaders, CacheTestData.Metadata(), [1]);
        Assert.True(_store.TryGet("k", out var stale));
        Assert.True(_store.TryBeginRefresh("k", stale, out var first));
        Assert.False(_store.TryBeginRefresh("k", stale, out _)); // one refresh at a time
        Start(first);
        first.Append([2, 2]);
        first.Complete();

        // A request that read the old copy before the refresh landed: nothing to refresh any more.
        Assert.False(_store.TryBeginRefresh("k", stale, out _));
        Assert.True(_store.TryGet("k", out var current));
        Assert.Equal(2, current.Body.Length);
        Assert.True(_store.TryBeginRefresh("k", current, out var next));
        next.Abandon();
        Assert.Equal(0, _store.GetCounters().FillFailures);
    }

    [Fact]
    public void Abandon_NotCacheable_NothingStoredNextMissFills()
    {
        var fill = _store.GetOrBeginFill("k").Fill!;
        Start(fill);
        fill.Abandon();

        Assert.Equal(0, _store.Count);
        Assert.Equal(0, _store.GetCounters().FillFailures);
        Assert.Equal(CacheLookupKind.Fill, _store.GetOrBeginFill("k").Kind);
    }

    [Fact]
    public async Task Complete_EmptyBody_StoredAndReadsEmpty()
    {
        using var fill = _store.GetOrBeginFill("k").Fill!;
        Start(fill, contentLength: 0);
        fill.Complete();

        Assert.True(_store.TryGet("k", out var entry));
        Assert.Empty(await CacheTestData.ReadAllAsync(entry));
    }
}
