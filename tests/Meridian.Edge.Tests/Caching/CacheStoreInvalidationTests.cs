using Meridian.Edge.Caching;

namespace Meridian.Edge.Tests.Caching;

public sealed class CacheStoreInvalidationTests
{
    private readonly CacheStore _store = CacheTestData.Store(1024 * 1024);

    private void Put(string key, string path) => _store.Set(key, path, 200, CacheTestData.NoHeaders, CacheTestData.Metadata(), [1, 2, 3]);

    [Fact]
    public void Invalidate_ExactPath_RemovesAllVariantsOfThatPathOnly()
    {
        Put("GET|/a|gzip", "/a");
        Put("GET|/a|br", "/a");
        Put("GET|/ab", "/ab");

        Assert.Equal(2, _store.Invalidate("/a"));
        Assert.False(_store.TryGet("GET|/a|gzip", out _));
        Assert.True(_store.TryGet("GET|/ab", out _));
    }

    [Fact]
    public void Invalidate_PrefixWithStar_RemovesEverythingUnderIt()
    {
        Put("1", "/images/a.png");
        Put("2", "/images/b/c.png");
        Put("3", "/imagesX");
        Put("4", "/Images/a.png");

        Assert.Equal(2, _store.Invalidate("/images/*"));
        Assert.True(_store.TryGet("3", out _));
        Assert.True(_store.TryGet("4", out _)); // paths are case-sensitive, as in CloudFront
        Assert.Equal(2, _store.Invalidate("/*"));
        Assert.Equal(0, _store.BytesStored);
    }

    [Fact]
    public void Invalidate_StarInTheMiddle_Throws() =>
        Assert.Throws<ArgumentException>(() => _store.Invalidate("/a*/b"));

    [Fact]
    public void Invalidate_FillInProgressForPath_FillNotStored()
    {
        var fill = _store.GetOrBeginFill("k").Fill!;
        fill.Start("/x/y", 200, CacheTestData.NoHeaders, CacheTestData.Metadata());
        fill.Append([1]);

        Assert.Equal(0, _store.Invalidate("/x/*"));
        fill.Complete();

        Assert.False(_store.TryGet("k", out _));
    }

    [Fact]
    public void Invalidate_OtherPathDuringFill_FillStored()
    {
        var fill = _store.GetOrBeginFill("k").Fill!;
        _store.Invalidate("/other");
        fill.Start("/x", 200, CacheTestData.NoHeaders, CacheTestData.Metadata());
        fill.Complete();

        Assert.True(_store.TryGet("k", out _));
    }

    [Fact]
    public void Remove_ExactKey_RemovesOnlyIt()
    {
        Put("a", "/a");
        Put("b", "/a");

        Assert.True(_store.Remove("a"));
        Assert.False(_store.Remove("a"));
        Assert.True(_store.TryGet("b", out _));
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public async Task Refresh_NewMetadata_KeepsBodyAndReplacesMetadata()
    {
        _store.Set("k", "/k", 200, CacheTestData.TextHeaders, CacheTestData.Metadata(60, "\"v1\""), CacheTestData.Bytes(10_000, 5));
        var refreshed = CacheTestData.Metadata(600, "\"v1\"") with { StoredAt = CacheTestData.Now.AddMinutes(5) };

        Assert.True(_store.Refresh("k", refreshed));

        Assert.True(_store.TryGet("k", out var entry));
        Assert.Same(refreshed, entry.Metadata);
        Assert.Equal(CacheTestData.TextHeaders, entry.Headers);
        Assert.Equal(CacheTestData.Bytes(10_000, 5), await CacheTestData.ReadAllAsync(entry));
    }

    [Fact]
    public void Refresh_WithHeaders_ReaccountsSize()
    {
        Put("k", "/k");
        var before = _store.BytesStored;

        Assert.True(_store.Refresh("k", CacheTestData.Metadata(), [new("Cache-Control", "max-age=600")]));

        Assert.True(_store.BytesStored > before);
        Assert.False(_store.Refresh("missing", CacheTestData.Metadata()));
    }

    [Fact]
    public async Task Remove_WhileReaderOpen_ReaderFinishesAndBodyReleasedAfter()
    {
        _store.Set("k", "/k", 200, CacheTestData.NoHeaders, CacheTestData.Metadata(), CacheTestData.Bytes(100_000, 3));
        Assert.True(_store.TryGet("k", out var entry));
        Assert.True(entry.Body.TryOpenReader(out var reader));

        _store.Remove("k");

        var read = new MemoryStream();
        await reader.CopyToAsync(read); // the open reader's reference keeps the pooled buffers alive
        reader.Dispose();

        Assert.Equal(CacheTestData.Bytes(100_000, 3), read.ToArray());
        Assert.False(entry.Body.TryOpenReader(out _)); // last reference gone: buffers back in the pool, no new readers
        Assert.Equal(0, _store.BytesStored);
    }
}
