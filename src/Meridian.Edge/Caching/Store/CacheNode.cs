namespace Meridian.Edge.Caching;

/// <summary>
/// A stored entry's place in the S3-FIFO queues. <see cref="Frequency"/> is bumped by hits without a lock; all
/// other fields change only under the store's eviction lock.
/// </summary>
internal sealed class CacheNode(CacheEntry entry, long size)
{
    // 2 bits, as in S3-FIFO: 3 hits are enough to tell a hot object from a scan, and a small cap means a once-hot
    // object that went cold is evicted after at most 3 trips around the main queue.
    public const int MaxFrequency = 3;

    private CacheEntry _entry = entry;

    public string Key { get; } = entry.Key;

    public CacheEntry Entry
    {
        get => Volatile.Read(ref _entry);
        set => Volatile.Write(ref _entry, value);
    }

    public long Size { get; set; } = size;

    /// <summary>
    /// Plain (not interlocked) read-increment-write on hits: a lost increment under a race only makes a hot object
    /// look one hit cooler, while an interlocked op would cost every hit a contended cache-line lock.
    /// </summary>
    public int Frequency;

    public bool InMain { get; set; }

    public bool Removed { get; set; }

    /// <summary>The disk tier's <see cref="DiskCacheTier.Epoch"/> as of which this entry's content is current (for a write when it is evicted).</summary>
    public long DiskEpoch { get; set; }

    /// <summary>
    /// Writes only below the cap: a hot object saturates at 3 after three hits and from then on its hits only
    /// read the node, so cores serving the same hot object do not bounce its cache line between them.
    /// </summary>
    public void Touch()
    {
        var frequency = Frequency;
        if (frequency < MaxFrequency)
        {
            Frequency = frequency + 1;
        }
    }
}
