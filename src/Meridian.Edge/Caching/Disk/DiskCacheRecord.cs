namespace Meridian.Edge.Caching;

/// <summary>
/// The disk tier's index entry of one file. <see cref="LastUse"/> is a tick of the tier's own use clock (a counter,
/// not time): bumped on a write, a read, or when the memory tier evicts the entry; the lowest are evicted first.
/// </summary>
internal sealed class DiskCacheRecord(string key, string path, string file, long size, long lastUse)
{
    private long _lastUse = lastUse;

    public string Key { get; } = key;

    /// <summary>The request path (what invalidations match).</summary>
    public string Path { get; } = path;

    public string File { get; } = file;

    /// <summary>The file's length in bytes (what the disk bound counts).</summary>
    public long Size { get; } = size;

    public long LastUse => Volatile.Read(ref _lastUse);

    public void Use(long tick) => Volatile.Write(ref _lastUse, tick);
}
