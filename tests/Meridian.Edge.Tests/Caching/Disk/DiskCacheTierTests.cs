using System.Collections.Immutable;
using Meridian.Edge.Caching;

namespace Meridian.Edge.Tests.Caching.Disk;

public sealed class DiskCacheTierTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    internal static CacheEntry Entry(string key, string path, byte[] body, int ttlSeconds = 60)
    {
        var stored = new CacheBody(body.Length);
        stored.Append(body);
        stored.Complete();
        ImmutableArray<KeyValuePair<string, string>> headers = [new("Content-Type", "text/plain"), new("ETag", "\"v1\""), new("X-Ünïcode", "välue")];
        var metadata = new CacheEntryMetadata(CacheTestData.Now, CacheTestData.Now.AddSeconds(ttlSeconds), TimeSpan.FromSeconds(5),
            TimeSpan.FromSeconds(30), "\"v1\"", CacheTestData.Now.AddDays(-1));
        return new CacheEntry(key, path, 200, headers, metadata, stored);
    }

    private static async Task WrittenAsync(DiskCacheTier tier) => await Poll.UntilAsync(() => tier.PendingWrites == 0, "disk writes done");

    internal static async Task<CacheEntry?> ReadAsync(DiskCacheTier tier, string key) => (await tier.TryReadAsync(key))?.Entry;

    /// <summary>A tier over the test folder holding one written entry "k" at path "/k".</summary>
    private async Task<DiskCacheTier> TierWithOneEntryAsync(byte[] body)
    {
        var tier = new DiskCacheTier(_folder.Path, 1024 * 1024);
        Write(tier, Entry("k", "/k", body));
        await WrittenAsync(tier);
        return tier;
    }

    private static void Write(DiskCacheTier tier, CacheEntry entry)
    {
        tier.Enqueue(entry, tier.Epoch);
        entry.Body.Release(); // the tier keeps its own reference until written
    }

    [Fact]
    public async Task TryReadAsync_WrittenEntry_ReturnsItWhole()
    {
        await using var tier = new DiskCacheTier(_folder.Path, 10 * 1024 * 1024);
        var body = CacheTestData.Bytes(200_000, 7);
        var original = Entry("GET|site|/a.bin", "/a.bin", body);
        Write(tier, original);
        await WrittenAsync(tier);

        var read = await ReadAsync(tier, "GET|site|/a.bin");

        Assert.NotNull(read);
        Assert.Equal(original.Key, read.Key);
        Assert.Equal(original.Path, read.Path);
        Assert.Equal(original.Status, read.Status);
        Assert.Equal(original.Headers.ToArray(), read.Headers.ToArray());
        Assert.Equal(original.Metadata, read.Metadata);
        Assert.True(read.Body.IsCompleted);
        Assert.Equal(body, await CacheTestData.ReadAllAsync(read));
        var counters = tier.GetCounters();
        Assert.Equal((1, 1, 1L), (counters.Entries, counters.Writes, counters.Hits));
        Assert.Equal(new FileInfo(tier.PathFor(original.Key)).Length, counters.Bytes);
    }

    [Fact]
    public async Task TryReadAsync_UnknownKey_ReturnsNull()
    {
        await using var tier = new DiskCacheTier(_folder.Path, 1024 * 1024);
        Assert.Null(await ReadAsync(tier, "nope"));
    }

    [Fact]
    public async Task Load_AfterRestart_FindsEntriesAgain()
    {
        await using (var tier = new DiskCacheTier(_folder.Path, 1024 * 1024))
        {
            Write(tier, Entry("k1", "/one", [1, 2, 3]));
            Write(tier, Entry("k2", "/two", []));
            await WrittenAsync(tier);
        }

        await using var restarted = new DiskCacheTier(_folder.Path, 1024 * 1024);
        await restarted.Loaded;

        Assert.Equal(2, restarted.GetCounters().Entries);
        var one = await ReadAsync(restarted, "k1");
        Assert.Equal(new byte[] { 1, 2, 3 }, await CacheTestData.ReadAllAsync(one!));
        var two = await ReadAsync(restarted, "k2");
        Assert.Empty(await CacheTestData.ReadAllAsync(two!));
    }

    [Fact]
    public async Task Load_TornFileAndLeftoverTemp_DeletedForeignFilesKept()
    {
        string file;
        await using (var tier = new DiskCacheTier(_folder.Path, 1024 * 1024))
        {
            Write(tier, Entry("k", "/k", CacheTestData.Bytes(5000, 1)));
            await WrittenAsync(tier);
            file = tier.PathFor("k");
        }

        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length - 100); // a write cut short by a power loss
        }

        var temp = file + ".12345-abcdef01-1.tmp";
        await File.WriteAllBytesAsync(temp, [1, 2, 3]);
        var foreign = Path.Combine(_folder.Path, "notes.txt");
        var foreignInShard = Path.Combine(Path.GetDirectoryName(file)!, "README");
        await File.WriteAllTextAsync(foreign, "mine");
        await File.WriteAllTextAsync(foreignInShard, "mine too");

        await using var restarted = new DiskCacheTier(_folder.Path, 1024 * 1024);
        await restarted.Loaded;

        var counters = restarted.GetCounters();
        Assert.Equal((0L, 1L), (counters.Entries, counters.Corrupt));
        Assert.False(File.Exists(file));
        Assert.False(File.Exists(temp));
        Assert.True(File.Exists(foreign));
        Assert.True(File.Exists(foreignInShard));
    }

    [Fact]
    public async Task TryReadAsync_BodyByteFlipped_MissAndFileDeleted()
    {
        await using var tier = await TierWithOneEntryAsync(CacheTestData.Bytes(3000, 3));
        var file = tier.PathFor("k");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^10] ^= 0x40;
        await File.WriteAllBytesAsync(file, bytes);

        Assert.Null(await ReadAsync(tier, "k"));

        Assert.Equal(1, tier.GetCounters().Corrupt);
        Assert.False(tier.Contains("k"));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task TryReadAsync_FileDeletedBehindItsBack_MissAndForgotten()
    {
        await using var tier = await TierWithOneEntryAsync([1]);
        File.Delete(tier.PathFor("k"));

        Assert.Null(await ReadAsync(tier, "k"));
        Assert.False(tier.Contains("k"));
        Assert.Equal(0, tier.GetCounters().Bytes);
    }

    [Fact]
    public async Task Write_OverTheBound_EvictsLeastRecentlyUsedFirst()
    {
        var size = new DiskCacheTier(_folder.Path + "-probe", 1024 * 1024);
        Write(size, Entry("a", "/a", CacheTestData.Bytes(10_000, 1)));
        await WrittenAsync(size);
        var fileBytes = size.GetCounters().Bytes;
        await size.DisposeAsync();
        Directory.Delete(_folder.Path + "-probe", recursive: true);

        // Room for three and a half files: the fourth write evicts down to 90%, i.e. the least recently used file.
        await using var tier = new DiskCacheTier(_folder.Path, fileBytes * 3 + fileBytes / 2);
        foreach (var key in new[] { "a", "b", "c" })
        {
            Write(tier, Entry(key, "/" + key, CacheTestData.Bytes(10_000, 1)));
            await WrittenAsync(tier);
        }

        (await ReadAsync(tier, "a"))!.Body.Release(); // a is now the most recently used
        Write(tier, Entry("d", "/d", CacheTestData.Bytes(10_000, 1)));
        await WrittenAsync(tier);

        Assert.True(tier.Contains("a"));
        Assert.True(tier.Contains("d"));
        Assert.False(tier.Contains("b"));
        var counters = tier.GetCounters();
        Assert.True(counters.Bytes <= tier.MaxBytes, $"{counters.Bytes} > {tier.MaxBytes}");
        Assert.True(counters.Evictions >= 1);
        Assert.False(File.Exists(tier.PathFor("b")));
    }

    [Fact]
    public async Task Demote_EntryNotOnDisk_WrittenAndOnDiskOnlyTouched()
    {
        await using var tier = new DiskCacheTier(_folder.Path, 1024 * 1024);
        var entry = Entry("k", "/k", [9]);
        tier.Demote(entry, tier.Epoch);
        await WrittenAsync(tier);
        tier.Demote(entry, tier.Epoch);
        await WrittenAsync(tier);

        Assert.True(tier.Contains("k"));
        Assert.Equal(1, tier.GetCounters().Writes);
        entry.Body.Release();
    }

    [Fact]
    public async Task Invalidate_MatchingPaths_FilesDeletedOthersKept()
    {
        await using var tier = new DiskCacheTier(_folder.Path, 1024 * 1024);
        Write(tier, Entry("1", "/images/a.png", [1]));
        Write(tier, Entry("2", "/images/b/c.png", [2]));
        Write(tier, Entry("3", "/imagesX", [3]));
        await WrittenAsync(tier);

        var removed = tier.Invalidate("/images/*");

        Assert.Equal(["1", "2"], removed.Order());
        Assert.False(File.Exists(tier.PathFor("1")));
        Assert.True(tier.Contains("3"));
    }

    [Fact]
    public async Task Invalidate_WhileWriteQueued_NeverWritten()
    {
        await using var tier = new DiskCacheTier(_folder.Path, 1024 * 1024);
        for (var i = 0; i < 50; i++)
        {
            // Whichever runs first (the write or the invalidation), the file must not survive it.
            Write(tier, Entry($"k{i}", $"/p/{i}", CacheTestData.Bytes(20_000, (byte)i)));
            tier.Invalidate($"/p/{i}");
        }

        await WrittenAsync(tier);

        for (var i = 0; i < 50; i++)
        {
            Assert.False(tier.Contains($"k{i}"));
            Assert.False(File.Exists(tier.PathFor($"k{i}")));
        }
    }

    [Fact]
    public async Task Remove_WrittenKey_FileDeleted()
    {
        await using var tier = await TierWithOneEntryAsync([1]);

        Assert.True(tier.Remove("k"));
        Assert.False(tier.Remove("k"));
        Assert.False(File.Exists(tier.PathFor("k")));
    }

    [Fact]
    public async Task Enqueue_ReleasedBody_Skipped()
    {
        await using var tier = new DiskCacheTier(_folder.Path, 1024 * 1024);
        var entry = Entry("k", "/k", [1]);
        entry.Body.Release();
        tier.Enqueue(entry, tier.Epoch);
        await WrittenAsync(tier);

        Assert.False(tier.Contains("k"));
        Assert.Equal(0, tier.GetCounters().Writes);
    }

    [Fact]
    public void Constructor_FolderIsAFile_ClearIOException()
    {
        var file = Path.Combine(_folder.Path, "a-file");
        File.WriteAllText(file, "x");

        var error = Assert.Throws<IOException>(() => new DiskCacheTier(file, 1024 * 1024));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileNameFor_KeyWithPathCharacters_IsHexOnly()
    {
        var name = DiskCacheTier.FileNameFor("GET|site|/../../etc/passwd");

        Assert.Equal(64, name.Length);
        Assert.All(name, c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)));
    }

    [Fact]
    public async Task TryReadAsync_BodyLargerThanAllowed_Null()
    {
        await using var tier = await TierWithOneEntryAsync(CacheTestData.Bytes(3000, 3));

        Assert.Null(await tier.TryReadAsync("k", maxBodyBytes: 2999));
        Assert.NotNull(await ReadAsync(tier, "k"));
        Assert.True(tier.Contains("k"));
    }

    [Fact]
    public async Task Enqueue_OverThePendingBytesBound_Dropped()
    {
        await using var tier = new DiskCacheTier(_folder.Path, 1024 * 1024, maxPendingBytes: 1);
        var entry = Entry("k", "/k", [1]);

        tier.Enqueue(entry, tier.Epoch);
        await WrittenAsync(tier);

        Assert.Equal(1, tier.GetCounters().WritesDropped);
        Assert.False(tier.Contains("k"));
        Assert.True(entry.Body.TryOpenReader(out var reader)); // the owner's reference is intact
        reader.Dispose();
        entry.Body.Release();
    }
}
