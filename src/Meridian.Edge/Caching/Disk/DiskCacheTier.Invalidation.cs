namespace Meridian.Edge.Caching;

/// <summary>
/// Removals and CloudFront invalidations: files deleted at once, and every one remembered by epoch so that content read
/// or queued before it is never written or served after it.
/// </summary>
internal sealed partial class DiskCacheTier
{
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

    private void RememberLocked(string? key, string? pattern)
    {
        Volatile.Write(ref _epoch, _epoch + 1);
        _invalidations.Enqueue((_epoch, key, pattern));
        if (_invalidations.Count > RememberedInvalidations)
        {
            _invalidations.Dequeue();
        }
    }

    /// <summary>Whether a removal of <paramref name="key"/> or an invalidation matching <paramref name="path"/> came after <paramref name="epoch"/>.</summary>
    public bool InvalidatedSince(long epoch, string key, string path)
    {
        lock (_lock)
        {
            return InvalidatedSinceLocked(epoch, key, path);
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
}
