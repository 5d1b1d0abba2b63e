namespace Meridian.Edge.Caching;

/// <summary>A snapshot of the store's counters (each read atomically, the set not as a whole).</summary>
internal readonly record struct CacheStoreCounters(
    long Hits,
    long Misses,
    long CollapsedWaits,
    long WaitTimeouts,
    long Evictions,
    long FillFailures,
    long OversizeFills,
    long Entries,
    long BytesStored,
    EdgeDiskCacheMetrics? Disk = null);
