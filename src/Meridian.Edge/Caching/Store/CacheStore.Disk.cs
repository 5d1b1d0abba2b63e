namespace Meridian.Edge.Caching;

/// <summary>The disk tier under the memory store (<see cref="DiskCacheTier"/>).</summary>
internal sealed partial class CacheStore : IAsyncDisposable
{
    private DiskCacheTier? _disk;

    /// <summary>The disk tier; null when the cache is memory only.</summary>
    public DiskCacheTier? Disk => Volatile.Read(ref _disk);

    /// <summary>
    /// For the filler of a memory miss: the entry of its key read back from disk, stored in memory and handed to the
    /// requests collapsed on <paramref name="fill"/>; null (the fill still the caller's) when the disk does not have
    /// it whole. Freshness is the caller's decision, as for any stored entry.
    /// </summary>
    public async Task<CacheEntry?> TryLoadFromDiskAsync(CacheFill fill)
    {
        if (Disk is not { } disk || !disk.Contains(fill.Key))
        {
            return null;
        }

        (CacheEntry Entry, long Epoch)? read;
        try
        {
            // Larger than today's max object size (stored under a larger memory bound): not read at all.
            read = await disk.TryReadAsync(fill.Key, Options.EffectiveMaxObjectBytes).ConfigureAwait(false);
        }
        catch (Exception)
        {
            return null; // whatever the disk did, the origin can still answer
        }

        if (read is not { } loaded)
        {
            return null;
        }

        fill.CompleteFromDisk(loaded.Entry, loaded.Epoch, fresh: _time.GetUtcNow() < loaded.Entry.Metadata.Expires);
        return loaded.Entry;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disk, null) is { } disk)
        {
            await disk.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <param name="reopened">Opened by a reload: files already there may have been invalidated meanwhile, so they are discarded.</param>
    private static DiskCacheTier? OpenDisk(CacheStoreOptions options, bool reopened = false) =>
        options.DiskPath is { } path && options.DiskBytes > 0
            // Queued writes hold bodies beyond the memory bound: at most a quarter of it.
            ? new DiskCacheTier(path, options.DiskBytes, Math.Max(options.MemoryBytes / 4, 1024 * 1024), discardExisting: reopened)
            : null;

    /// <summary>A reload: a new bound applies at once; a new folder (or none) closes the old tier and opens the new one.</summary>
    private void ReconfigureDisk(CacheStoreOptions options)
    {
        var current = Disk;
        var path = options.DiskBytes > 0 ? options.DiskPath : null;
        if (current is not null && path is not null && string.Equals(current.Folder, Path.GetFullPath(path), StringComparison.Ordinal))
        {
            current.SetCapacity(options.DiskBytes);
            return;
        }

        if (current is null && path is null)
        {
            return;
        }

        var replacement = OpenDisk(options, reopened: true);
        lock (_lock)
        {
            Volatile.Write(ref _disk, replacement);
        }

        if (current is not null)
        {
            _ = current.DisposeAsync().AsTask();
        }
    }
}
