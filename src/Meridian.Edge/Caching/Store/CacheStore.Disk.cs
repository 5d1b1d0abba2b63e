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

        CacheEntry? entry;
        try
        {
            entry = await disk.TryReadAsync(fill.Key).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            fill.Fail(ex);
            throw;
        }

        if (entry is null)
        {
            return null;
        }

        if (entry.Body.Length > Options.EffectiveMaxObjectBytes)
        {
            entry.Body.Release(); // stored under a larger memory bound than today's
            return null;
        }

        fill.CompleteFromDisk(entry);
        return entry;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disk, null) is { } disk)
        {
            await disk.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static DiskCacheTier? OpenDisk(CacheStoreOptions options) =>
        options.DiskPath is { } path && options.DiskBytes > 0 ? new DiskCacheTier(path, options.DiskBytes) : null;

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

        var replacement = OpenDisk(options);
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
