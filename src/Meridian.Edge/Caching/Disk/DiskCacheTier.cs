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
/// Writes are best-effort: when <see cref="MaxPendingWrites"/> or <c>maxPendingBytes</c> are queued (a disk slower than
/// the origin), further ones are dropped and counted, never waited for on a request.
/// <para>
/// Invalidation: every invalidation or removal advances <see cref="Epoch"/>. A write carries the epoch at which its
/// content was known current (for an entry evicted from memory: when it was stored there), and a read checks the
/// epoch after reading: content older than a matching invalidation is neither written nor served.
/// </para>
/// </remarks>
internal sealed partial class DiskCacheTier : IAsyncDisposable
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
    private readonly long _maxPendingBytes;
    private long _maxBytes;
    private long _epoch, _clock, _bytes, _pending, _pendingBytes, _temps;
    private long _hits, _written, _dropped, _failures, _evictions, _corrupt;
    private int _disposed;

    /// <summary>Creates <paramref name="folder"/> if needed (an <see cref="IOException"/> says why it cannot) and loads its index in the background.</summary>
    /// <param name="maxPendingBytes">Bodies queued for writing are held in memory beyond the memory tier's bound: at most this many bytes.</param>
    /// <param name="discardExisting">Delete the files found instead of indexing them: a folder taken up again by a reload
    /// may hold entries invalidated while it was not in use.</param>
    public DiskCacheTier(string folder, long maxBytes, long maxPendingBytes = 64L * 1024 * 1024, bool discardExisting = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxBytes, 0);
        Folder = EnsureFolder(folder);
        _maxBytes = maxBytes;
        _maxPendingBytes = Math.Max(maxPendingBytes, 1);
        _loading = Task.Run(() => Load(discardExisting));
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Creates the folder (full path returned); an <see cref="IOException"/> naming it says why it cannot.</summary>
    public static string EnsureFolder(string folder)
    {
        var full = Path.GetFullPath(folder);
        try
        {
            Directory.CreateDirectory(full);
            return full;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"edge cache disk folder {full}: {ex.Message}", ex);
        }
    }

    /// <summary>Advanced by every invalidation and removal (see the remarks).</summary>
    public long Epoch => Volatile.Read(ref _epoch);

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

    /// <summary>
    /// Queues <paramref name="entry"/> (complete) to be written, its content current as of <paramref name="epoch"/>
    /// (<see cref="Epoch"/> when it was stored); a no-op when its body was released or the queue is full.
    /// </summary>
    public void Enqueue(CacheEntry entry, long epoch)
    {
        if (_stopping.IsCancellationRequested || !entry.Body.IsCompleted || !entry.Body.TryAcquire())
        {
            return;
        }

        var bytes = entry.Body.Capacity;
        Interlocked.Increment(ref _pending);
        if (Interlocked.Add(ref _pendingBytes, bytes) > _maxPendingBytes || !_writes.Writer.TryWrite(new PendingWrite(entry, epoch)))
        {
            Interlocked.Add(ref _pendingBytes, -bytes);
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _dropped);
            entry.Body.Release();
        }
    }

    /// <summary>
    /// The memory tier evicted <paramref name="entry"/> (stored there at <paramref name="epoch"/>): it becomes the most
    /// recently used file, or is written if it is not on disk.
    /// </summary>
    public void Demote(CacheEntry entry, long epoch)
    {
        if (_index.TryGetValue(entry.Key, out var record))
        {
            record.Use(Interlocked.Increment(ref _clock));
            return;
        }

        Enqueue(entry, epoch);
    }

    /// <summary>
    /// The stored response of <paramref name="key"/>, its body read whole and verified, with the <see cref="Epoch"/> its
    /// content is current as of (taken before the read); null when absent, torn, unreadable or larger than
    /// <paramref name="maxBodyBytes"/>.
    /// </summary>
    public async Task<(CacheEntry Entry, long Epoch)?> TryReadAsync(string key, long maxBodyBytes = long.MaxValue, CancellationToken cancellationToken = default)
    {
        var epoch = Epoch;
        if (!_index.TryGetValue(key, out var record))
        {
            return null;
        }

        try
        {
            var entry = await DiskCacheFile.ReadAsync(record.File, key, maxBodyBytes, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                return null;
            }

            // An invalidation during the read is caught where the entry is put in memory (CacheStore.CompleteFill checks
            // InvalidatedSince with this epoch, under the memory lock).
            record.Use(Interlocked.Increment(ref _clock));
            Interlocked.Increment(ref _hits);
            return (entry, epoch);
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
            catch (Exception)
            {
                // Whatever went wrong with one entry, the writer goes on: a stopped writer would pin every queued body.
                Interlocked.Increment(ref _failures);
            }
            finally
            {
                Interlocked.Add(ref _pendingBytes, -pending.Entry.Body.Capacity);
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
