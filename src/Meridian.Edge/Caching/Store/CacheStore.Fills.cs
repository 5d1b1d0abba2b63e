using System.Diagnostics.CodeAnalysis;

namespace Meridian.Edge.Caching;

/// <summary>Fills: request collapsing, background refreshes, and what a fill's end does to the store.</summary>
internal sealed partial class CacheStore
{
    /// <summary>
    /// A hit, or the one fill of this key (the caller fetches the origin), or a wait for the fill in progress:
    /// N concurrent misses of one key make exactly one filler. A key marked <see cref="Uncacheable"/> is a pass.
    /// </summary>
    public CacheLookup GetOrBeginFill(string key)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            node.Touch();
            _hits.Increment();
            return CacheLookup.Hit(node.Entry);
        }

        if (Uncacheable.IsMarked(key))
        {
            _misses.Increment();
            return CacheLookup.Pass();
        }

        while (true)
        {
            if (_fills.TryGetValue(key, out var pending))
            {
                Interlocked.Increment(ref _collapsed);
                return CacheLookup.Waiter(this, pending);
            }

            var fill = new CacheFill(this, key, Volatile.Read(ref _invalidationEpoch));
            if (!_fills.TryAdd(key, fill))
            {
                continue;
            }

            // A fill completing between our two lookups stored its entry before leaving _fills: look again.
            if (_entries.TryGetValue(key, out node))
            {
                fill.Cancel(); // releases any waiter that joined in between to the origin
                node.Touch();
                _hits.Increment();
                return CacheLookup.Hit(node.Entry);
            }

            _misses.Increment();
            return CacheLookup.Filler(fill);
        }
    }

    /// <summary>
    /// Begins a fill whatever is stored (a background revalidation of a stale entry), unless one is in progress.
    /// </summary>
    public bool TryBeginFill(string key, [MaybeNullWhen(false)] out CacheFill fill)
    {
        fill = new CacheFill(this, key, Volatile.Read(ref _invalidationEpoch));
        if (_fills.TryAdd(key, fill))
        {
            return true;
        }

        fill = null;
        return false;
    }

    /// <summary>
    /// A background refresh of <paramref name="replacing"/>: as <see cref="TryBeginFill"/>, but false when the stored
    /// entry is no longer that one. A request that read the stale copy just before another refresh stored a new one
    /// would otherwise refresh a fresh entry again. Race-free because a completing fill is detached only after its
    /// entry is inserted: once this fill is registered, the entry it sees is the latest.
    /// </summary>
    public bool TryBeginRefresh(string key, CacheEntry replacing, [MaybeNullWhen(false)] out CacheFill fill)
    {
        if (!TryBeginFill(key, out fill))
        {
            return false;
        }

        if (_entries.TryGetValue(key, out var node) && ReferenceEquals(node.Entry, replacing))
        {
            return true;
        }

        fill.Abandon();
        fill = null;
        return false;
    }

    internal async ValueTask<CacheEntry?> WaitForFillAsync(CacheFill fill, CancellationToken cancellationToken)
    {
        try
        {
            return await fill.Started.WaitAsync(Options.WaitTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Interlocked.Increment(ref _waitTimeouts);
            return null;
        }
    }

    /// <param name="diskEpoch">For an entry read from the disk tier: the epoch its content is current as of (it is
    /// stored in memory, not written back); null for an origin response.</param>
    /// <returns>Whether it was stored (else its body is released).</returns>
    internal bool CompleteFill(CacheFill fill, CacheEntry entry, long? diskEpoch = null)
    {
        var size = CacheSizing.Estimate(entry);
        var stored = false;
        lock (_lock)
        {
            // A disk copy read before an invalidation reached the disk is vetoed here, under the memory lock: an
            // invalidation reaches the disk before it sweeps memory, so what is inserted before that is swept.
            if (size <= Options.MemoryBytes && !InvalidatedSinceLocked(fill.InvalidationEpoch, entry.Path)
                && (diskEpoch is not { } since || _disk?.InvalidatedSince(since, entry.Key, entry.Path) != true))
            {
                var epoch = diskEpoch ?? _disk?.Epoch ?? 0;
                InsertLocked(entry, size, epoch);
                stored = true;
                if (diskEpoch is null)
                {
                    // Under the lock: two versions of one key are queued in the order they were stored.
                    _disk?.Enqueue(entry, epoch);
                }
            }
        }

        // After the insert: a concurrent lookup then finds the entry or the fill, never neither.
        Detach(fill);
        if (!stored)
        {
            entry.Body.Release();
        }

        return stored;
    }

    internal void Detach(CacheFill fill) => _fills.TryRemove(new KeyValuePair<string, CacheFill>(fill.Key, fill));

    internal void OnOversize(CacheFill fill)
    {
        Interlocked.Increment(ref _oversize);
        Detach(fill);
    }

    internal void OnFillFailed() => Interlocked.Increment(ref _fillFailures);
}
