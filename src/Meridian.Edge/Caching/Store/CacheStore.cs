using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Meridian.Edge.Caching;

/// <summary>
/// The edge's object store: string keys (built by the HTTP layer) → <see cref="CacheEntry"/>, bounded by bytes,
/// S3-FIFO eviction (<see cref="S3FifoQueues"/>), streaming fills with request collapsing, refresh and
/// CloudFront-style invalidation. Knows nothing of HTTP caching rules: freshness is the caller's decision.
/// <para>
/// Concurrency: a hit is a <see cref="ConcurrentDictionary{TKey,TValue}"/> lookup plus a plain frequency bump
/// and a core-striped counter; no lock. Inserts, evictions, removals and refreshes take one lock (they follow an
/// origin fetch of milliseconds, so a sub-microsecond critical section never queues them).
/// </para>
/// </summary>
internal sealed partial class CacheStore
{
    // A fill that began before more than this many later invalidations is not stored (we no longer know whether
    // one of them matched it). 256 patterns: CloudFront itself allows 3,000 paths in flight per distribution
    // but fills last seconds, so even a burst of invalidations rarely spans one fill.
    private const int RememberedInvalidations = 256;

    private readonly ConcurrentDictionary<string, CacheNode> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CacheFill> _fills = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly S3FifoQueues _queues;
    private readonly Queue<(long Epoch, string Pattern)> _invalidations = new();
    private readonly TimeProvider _time;
    private long _invalidationEpoch;
    private long _bytes;
    private readonly StripedCounter _hits = new(), _misses = new();
    private long _collapsed, _waitTimeouts, _evictions, _fillFailures, _oversize;
    private readonly ConcurrentDictionary<string, CacheNode>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;

    public CacheStore(CacheStoreOptions options, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MemoryBytes, 0, nameof(options.MemoryBytes));
        Options = options;
        _time = time;
        _queues = new S3FifoQueues(options.MemoryBytes);
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        Uncacheable = new UncacheableMarkers(time);
        _disk = OpenDisk(options);
    }

    /// <summary>Keys whose last origin answer could not be stored: their misses are not collapsed.</summary>
    public UncacheableMarkers Uncacheable { get; }

    public CacheStoreOptions Options { get; private set; }

    /// <summary>Accounted bytes of stored entries (never above <see cref="CacheStoreOptions.MemoryBytes"/> once an insert returns).</summary>
    public long BytesStored => Volatile.Read(ref _bytes);

    public int Count => _entries.Count;

    /// <summary>Whether a key is stored, without counting a hit or a miss or bumping its frequency (tests, diagnostics).</summary>
    public bool Contains(string key) => _entries.ContainsKey(key);

    /// <summary>The hit path: a lookup and a frequency bump, no lock, no allocation.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out CacheEntry entry)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            node.Touch();
            _hits.Increment();
            entry = node.Entry;
            return true;
        }

        _misses.Increment();
        entry = null;
        return false;
    }

    /// <summary>
    /// The hit fast path's lookup by a key formatted into a buffer: no allocation, and nothing counted — the caller
    /// calls <see cref="RecordHit"/> when it serves the entry, or goes the <see cref="GetOrBeginFill"/> way.
    /// </summary>
    internal bool TryPeek(ReadOnlySpan<char> key, [MaybeNullWhen(false)] out CacheNode node) => _entriesBySpan.TryGetValue(key, out node);

    /// <summary>Counts a miss that does not go through <see cref="GetOrBeginFill"/> (the cache stage's pass path).</summary>
    internal void RecordMiss() => _misses.Increment();

    /// <summary>Counts a hit served from a <see cref="TryPeek"/> and bumps the entry's frequency, as a hit lookup does.</summary>
    internal void RecordHit(CacheNode node)
    {
        node.Touch();
        _hits.Increment();
    }

    /// <summary>Stores a whole response at once (no streaming); false when larger than the max object size.</summary>
    public bool Set(
        string key,
        string path,
        int status,
        ImmutableArray<KeyValuePair<string, string>> headers,
        CacheEntryMetadata metadata,
        ReadOnlySpan<byte> body)
    {
        if (body.Length > Options.EffectiveMaxObjectBytes)
        {
            Interlocked.Increment(ref _oversize);
            return false;
        }

        var stored = new CacheBody(body.Length);
        stored.Append(body);
        stored.Complete();

        var entry = new CacheEntry(key, path, status, headers, metadata, stored);
        lock (_lock)
        {
            var epoch = _disk?.Epoch ?? 0;
            InsertLocked(entry, CacheSizing.Estimate(entry), epoch);
            _disk?.Enqueue(entry, epoch);
        }

        return true;
    }

    /// <summary>
    /// A 304 revalidation: new metadata (and, if given, the merged headers) for the stored entry, same body.
    /// False when the key is no longer stored.
    /// </summary>
    public bool Refresh(string key, CacheEntryMetadata metadata, ImmutableArray<KeyValuePair<string, string>>? headers = null)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node) || node.Removed)
            {
                return false;
            }

            var entry = node.Entry.With(metadata, headers);
            _queues.Resize(node, CacheSizing.Estimate(entry));
            node.Entry = entry;
            _disk?.Enqueue(entry, node.DiskEpoch); // the disk copy gets the new headers too; the body is as old as the node
            EvictLocked();
            return true;
        }
    }

    /// <summary>Removes one key (from memory and disk); false when it was not stored.</summary>
    public bool Remove(string key)
    {
        bool fromMemory;
        lock (_lock)
        {
            fromMemory = _entries.TryGetValue(key, out var node);
            if (fromMemory)
            {
                RemoveLocked(node!);
            }
        }

        var fromDisk = _disk?.Remove(key) ?? false;
        return fromMemory || fromDisk;
    }

    /// <summary>
    /// CloudFront invalidation: <paramref name="pattern"/> is an exact path or a prefix ending with <c>*</c>
    /// (<c>/images/*</c>, <c>/*</c>); paths compare case-sensitively, as CloudFront does. Removes every stored
    /// entry stored for a matching path (all its variants) and vetoes storing fills in progress for one.
    /// Returns the number of entries removed.
    /// </summary>
    public int Invalidate(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        if (pattern.IndexOf('*') is var star && star >= 0 && star != pattern.Length - 1)
        {
            throw new ArgumentException($"'*' is only allowed at the end of an invalidation path: {pattern}", nameof(pattern));
        }

        Uncacheable.ClearAll();
        lock (_lock)
        {
            var epoch = ++_invalidationEpoch;
            _invalidations.Enqueue((epoch, pattern));
            if (_invalidations.Count > RememberedInvalidations)
            {
                _invalidations.Dequeue();
            }
        }

        // The disk first: a disk copy read back meanwhile is then either vetoed (CompleteFill) or swept below.
        var removed = new HashSet<string>(_disk?.Invalidate(pattern) ?? [], StringComparer.Ordinal);
        foreach (var (_, node) in _entries)
        {
            if (Matches(pattern, node.Entry.Path))
            {
                lock (_lock)
                {
                    if (!node.Removed)
                    {
                        RemoveLocked(node);
                        removed.Add(node.Key);
                    }
                }
            }
        }

        return removed.Count; // the disk holds the memory tier's entries too: an entry counts once, wherever it was
    }

    public CacheStoreCounters GetCounters() => new(
        _hits.Read(),
        _misses.Read(),
        Interlocked.Read(ref _collapsed),
        Interlocked.Read(ref _waitTimeouts),
        Interlocked.Read(ref _evictions),
        Interlocked.Read(ref _fillFailures),
        Interlocked.Read(ref _oversize),
        _entries.Count,
        BytesStored,
        _disk?.GetCounters());

    internal static bool Matches(string pattern, string path) =>
        pattern[^1] == '*'
            ? path.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, path, StringComparison.Ordinal);

    private void InsertLocked(CacheEntry entry, long size, long diskEpoch)
    {
        if (_entries.TryGetValue(entry.Key, out var old))
        {
            RemoveLocked(old);
        }

        var node = new CacheNode(entry, size) { DiskEpoch = diskEpoch };
        _entries[entry.Key] = node;
        _queues.Add(node);
        EvictLocked();
    }

    private void RemoveLocked(CacheNode node)
    {
        if (node.Removed)
        {
            return;
        }

        _entries.TryRemove(new KeyValuePair<string, CacheNode>(node.Key, node));
        _queues.Remove(node);
        node.Entry.Body.Release();
        Volatile.Write(ref _bytes, _queues.TotalBytes);
    }

    /// <summary>
    /// Applies new limits (a reload): a smaller memory bound evicts at once, S3-FIFO's way (small queue first), so
    /// <see cref="BytesStored"/> is within the new bound when this returns; a larger one just lets the cache grow.
    /// </summary>
    public void Reconfigure(CacheStoreOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MemoryBytes, 0, nameof(options.MemoryBytes));
        lock (_lock)
        {
            Options = options;
            _queues.SetCapacity(options.MemoryBytes);
            EvictLocked();
        }

        ReconfigureDisk(options);
    }

    private void EvictLocked()
    {
        while (_queues.TotalBytes > Options.MemoryBytes && _queues.EvictOne() is { } victim)
        {
            _entries.TryRemove(new KeyValuePair<string, CacheNode>(victim.Key, victim));
            _disk?.Demote(victim.Entry, victim.DiskEpoch);
            victim.Entry.Body.Release();
            Interlocked.Increment(ref _evictions);
        }

        Volatile.Write(ref _bytes, _queues.TotalBytes);
    }

    private bool InvalidatedSinceLocked(long epoch, string path)
    {
        if (_invalidationEpoch == epoch)
        {
            return false;
        }

        if (_invalidations.TryPeek(out var oldest) && oldest.Epoch > epoch + 1)
        {
            return true; // invalidations after this fill began were forgotten: one of them may have matched
        }

        foreach (var (e, pattern) in _invalidations)
        {
            if (e > epoch && Matches(pattern, path))
            {
                return true;
            }
        }

        return false;
    }
}
