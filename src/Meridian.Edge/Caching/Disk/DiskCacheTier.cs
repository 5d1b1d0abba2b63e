using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace Meridian.Edge.Caching;

/// <summary>
/// The edge cache's second tier: a folder of <see cref="DiskCacheFile"/>s bounded by bytes, under the memory store.
/// Every entry the memory store keeps is written here too, in the background (nginx's <c>proxy_cache</c> and Traffic
/// Server keep the whole cache on disk the same way), so the disk holds the memory tier plus what it evicted, and a
/// restarted edge finds its cache again instead of sending every first request to the origin. A memory miss whose key
/// is here is read back into memory (<see cref="CacheStore.TryLoadFromDiskAsync"/>). Eviction is least recently used
/// by a use clock (write, read back, or eviction from memory), in passes that free 10% of the bound.
/// </summary>
/// <remarks>
/// Files are named by the SHA-256 of their key in 256 shard folders (<c>ab/ab12…</c>, as nginx's <c>levels=2</c>), so
/// a key never becomes a path. Only such names are ever read or deleted: a folder shared with other files is safe.
/// Writes are best-effort: when <see cref="MaxPendingWrites"/> are queued (a disk slower than the origin), further
/// ones are dropped and counted, never waited for on a request.
/// </remarks>
internal sealed class DiskCacheTier : IAsyncDisposable
{
    public const int MaxPendingWrites = 256;

    // As the memory store: an entry whose write was queued before more than this many later invalidations is not written.
    private const int RememberedInvalidations = 256;

    private static readonly TimeSpan DrainOnDispose = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, DiskCacheRecord> _index = new(StringComparer.Ordinal);
    private readonly Channel<PendingWrite> _writes =
        Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(MaxPendingWrites) { SingleReader = true });
    private readonly Lock _lock = new();
    private readonly Queue<(long Epoch, string? Key, string? Pattern)> _invalidations = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _tempTag = $".{Environment.ProcessId}-{Random.Shared.Next():x8}-";
    private readonly Task _loading;
    private readonly Task _writer;
    private long _maxBytes;
    private long _epoch, _clock, _bytes, _pending, _temps;
    private long _hits, _written, _dropped, _failures, _evictions, _corrupt;
    private int _disposed;

    /// <summary>Creates <paramref name="folder"/> if needed (an <see cref="IOException"/> says why it cannot) and loads its index in the background.</summary>
    public DiskCacheTier(string folder, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxBytes, 0);
        Folder = Path.GetFullPath(folder);
        try
        {
            Directory.CreateDirectory(Folder);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"edge cache disk folder {Folder}: {ex.Message}", ex);
        }

        _maxBytes = maxBytes;
        _loading = Task.Run(Load);
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Folder { get; }

    public long MaxBytes => Volatile.Read(ref _maxBytes);

    /// <summary>Completes when the files found at start are indexed (until then they are misses).</summary>
    public Task Loaded => _loading;

    /// <summary>Writes queued or in progress.</summary>
    public long PendingWrites => Volatile.Read(ref _pending);

    public bool Contains(string key) => _index.ContainsKey(key);

    public EdgeDiskCacheMetrics GetCounters() => new(
        _index.Count,
        Volatile.Read(ref _bytes),
        Interlocked.Read(ref _hits),
        Interlocked.Read(ref _written),
        Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _failures),
        Interlocked.Read(ref _evictions),
        Interlocked.Read(ref _corrupt),
        _loading.IsCompleted);

    /// <summary>Queues <paramref name="entry"/> (complete) to be written; a no-op when its body was released or the queue is full.</summary>
    public void Enqueue(CacheEntry entry)
    {
        if (_stopping.IsCancellationRequested || !entry.Body.IsCompleted || !entry.Body.TryAcquire())
        {
            return;
        }

        Interlocked.Increment(ref _pending);
        if (!_writes.Writer.TryWrite(new PendingWrite(entry, Volatile.Read(ref _epoch))))
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _dropped);
            entry.Body.Release();
        }
    }

    /// <summary>The memory tier evicted <paramref name="entry"/>: it becomes the most recently used file, or is written if it is not on disk.</summary>
    public void Demote(CacheEntry entry)
    {
        if (_index.TryGetValue(entry.Key, out var record))
        {
            record.Use(Interlocked.Increment(ref _clock));
            return;
        }

        Enqueue(entry);
    }

    /// <summary>The stored response of <paramref name="key"/>, its body read whole and verified; null when absent, torn or unreadable.</summary>
    public async Task<CacheEntry?> TryReadAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!_index.TryGetValue(key, out var record))
        {
            return null;
        }

        try
        {
            var entry = await DiskCacheFile.ReadAsync(record.File, key, cancellationToken).ConfigureAwait(false);
            record.Use(Interlocked.Increment(ref _clock));
            Interlocked.Increment(ref _hits);
            return entry;
        }
        catch (InvalidDataException)
        {
            Interlocked.Increment(ref _corrupt);
            Forget(record);
            return null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Forget(record);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _failures);
            return null;
        }
    }

    /// <summary>Deletes the file of <paramref name="key"/> and vetoes a queued write of it.</summary>
    public bool Remove(string key)
    {
        lock (_lock)
        {
            RememberLocked(key, null);
            return _index.TryGetValue(key, out var record) && RemoveLocked(record);
        }
    }

    /// <summary>
    /// CloudFront invalidation (<see cref="CacheStore.Matches"/>): deletes the files stored for matching paths and vetoes
    /// queued writes of them. Returns the keys removed.
    /// </summary>
    public List<string> Invalidate(string pattern)
    {
        var removed = new List<string>();
        lock (_lock)
        {
            RememberLocked(null, pattern);
            foreach (var (_, record) in _index)
            {
                if (CacheStore.Matches(pattern, record.Path) && RemoveLocked(record))
                {
                    removed.Add(record.Key);
                }
            }
        }

        return removed;
    }

    /// <summary>A new bound (a reload): a smaller one evicts at once.</summary>
    public void SetCapacity(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxBytes, 0);
        Volatile.Write(ref _maxBytes, maxBytes);
        EvictIfNeeded();
    }

    /// <summary>Stops: queued writes get <see cref="DrainOnDispose"/> to finish (so a restart finds them), the rest are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writes.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(DrainOnDispose).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _stopping.Cancel();
            await _writer.ConfigureAwait(false);
        }

        _stopping.Cancel();
        await _loading.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>The file name of a key: the hex SHA-256 of its UTF-8 bytes (shard folder: its first two characters).</summary>
    internal static string FileNameFor(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    internal string PathFor(string key)
    {
        var name = FileNameFor(key);
        return Path.Combine(Folder, name[..2], name);
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var pending in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (!_stopping.IsCancellationRequested)
                {
                    WriteOne(pending);
                }
            }
            finally
            {
                pending.Entry.Body.Release();
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private void WriteOne(PendingWrite pending)
    {
        var entry = pending.Entry;
        var final = PathFor(entry.Key);
        var temp = final + _tempTag + Interlocked.Increment(ref _temps) + ".tmp";
        long size;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            size = DiskCacheFile.Write(temp, entry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Interlocked.Increment(ref _failures);
            TryDelete(temp);
            return;
        }

        lock (_lock)
        {
            if (InvalidatedSinceLocked(pending.Epoch, entry.Key, entry.Path))
            {
                TryDelete(temp);
                return;
            }

            try
            {
                File.Move(temp, final, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _failures);
                TryDelete(temp);
                return;
            }

            if (_index.TryGetValue(entry.Key, out var old))
            {
                _bytes -= old.Size;
            }

            _index[entry.Key] = new DiskCacheRecord(entry.Key, entry.Path, final, size, Interlocked.Increment(ref _clock));
            Volatile.Write(ref _bytes, _bytes + size);
            Interlocked.Increment(ref _written);
        }

        EvictIfNeeded();
    }

    /// <summary>
    /// Indexes the files already in the folder (a restart), least recently written first; deletes torn, corrupt and
    /// left-over temporary files. Files removed or invalidated while the scan ran are not indexed (and are deleted).
    /// </summary>
    private void Load()
    {
        long startEpoch;
        lock (_lock)
        {
            startEpoch = _epoch;
        }

        var found = new List<(DiskCacheRecord Record, DateTime Written)>();
        try
        {
            foreach (var shard in Directory.EnumerateDirectories(Folder))
            {
                if (!IsHex(Path.GetFileName(shard), 2))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(shard))
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    LoadOne(file, found);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _failures);
        }

        found.Sort((a, b) => a.Written.CompareTo(b.Written));
        lock (_lock)
        {
            for (var i = 0; i < found.Count; i++)
            {
                var record = found[i].Record;
                if (InvalidatedSinceLocked(startEpoch, record.Key, record.Path))
                {
                    if (!_index.ContainsKey(record.Key))
                    {
                        TryDelete(record.File);
                    }

                    continue;
                }

                // Below every use since start-up (those are ≥ 1), oldest lowest; a write during the scan already won.
                record.Use(i - found.Count);
                if (_index.TryAdd(record.Key, record))
                {
                    Volatile.Write(ref _bytes, _bytes + record.Size);
                }
            }
        }

        EvictIfNeeded();
    }

    private void LoadOne(string file, List<(DiskCacheRecord, DateTime)> found)
    {
        var name = Path.GetFileName(file);
        if (name.Length > 64 && IsHex(name[..64], 64) && name.EndsWith(".tmp", StringComparison.Ordinal))
        {
            if (!name.Contains(_tempTag, StringComparison.Ordinal))
            {
                TryDelete(file); // a write cut short by a crash or a kill
            }

            return;
        }

        if (!IsHex(name, 64))
        {
            return;
        }

        try
        {
            var header = DiskCacheFile.ReadHeader(file);
            if (!string.Equals(FileNameFor(header.Key), name, StringComparison.Ordinal))
            {
                throw new InvalidDataException("named for another key");
            }

            found.Add((new DiskCacheRecord(header.Key, header.Path, file, header.FileLength, 0), File.GetLastWriteTimeUtc(file)));
        }
        catch (InvalidDataException)
        {
            Interlocked.Increment(ref _corrupt);
            TryDelete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    private void EvictIfNeeded()
    {
        if (Volatile.Read(ref _bytes) <= Volatile.Read(ref _maxBytes))
        {
            return;
        }

        lock (_lock)
        {
            var max = Volatile.Read(ref _maxBytes);
            if (_bytes <= max)
            {
                return;
            }

            // Down to 90%: a pass sorts the index, so it runs once per tenth of the bound written, not per write.
            var target = max - max / 10;
            var byUse = _index.Values.ToArray();
            Array.Sort(byUse, static (a, b) => a.LastUse.CompareTo(b.LastUse));
            foreach (var record in byUse)
            {
                if (_bytes <= target)
                {
                    break;
                }

                if (RemoveLocked(record))
                {
                    Interlocked.Increment(ref _evictions);
                }
            }
        }
    }

    private void Forget(DiskCacheRecord record)
    {
        lock (_lock)
        {
            RemoveLocked(record);
        }
    }

    /// <summary>Drops <paramref name="record"/> from the index and deletes its file, unless a newer record replaced it.</summary>
    private bool RemoveLocked(DiskCacheRecord record)
    {
        if (!_index.TryRemove(new KeyValuePair<string, DiskCacheRecord>(record.Key, record)))
        {
            return false;
        }

        Volatile.Write(ref _bytes, _bytes - record.Size);
        TryDelete(record.File);
        return true;
    }

    private void RememberLocked(string? key, string? pattern)
    {
        Volatile.Write(ref _epoch, _epoch + 1);
        _invalidations.Enqueue((_epoch, key, pattern));
        if (_invalidations.Count > RememberedInvalidations)
        {
            _invalidations.Dequeue();
        }
    }

    private bool InvalidatedSinceLocked(long epoch, string key, string path)
    {
        if (_epoch == epoch)
        {
            return false;
        }

        if (_invalidations.TryPeek(out var oldest) && oldest.Epoch > epoch + 1)
        {
            return true; // invalidations since were forgotten: one of them may have matched
        }

        foreach (var (e, k, pattern) in _invalidations)
        {
            if (e > epoch && (k is not null ? string.Equals(k, key, StringComparison.Ordinal) : CacheStore.Matches(pattern!, path)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHex(string s, int length)
    {
        if (s.Length != length)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    private readonly record struct PendingWrite(CacheEntry Entry, long Epoch);
}
