namespace Meridian.Edge;

/// <summary>EdgeServer's cache operations (kept out of EdgeServer.cs).</summary>
internal static class EdgeCacheInvalidation
{
    public static InvalidationResult Invalidate(Caching.CacheStage cache, string distribution, IReadOnlyList<string> paths, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(distribution);
        ArgumentNullException.ThrowIfNull(paths);
        var count = 0;
        foreach (var path in paths)
        {
            if (!string.IsNullOrWhiteSpace(path))
            {
                count += cache.Invalidate(distribution, path.Trim());
            }
        }

        var id = "I" + Guid.NewGuid().ToString("N")[..13].ToUpperInvariant();
        return new InvalidationResult(id, [.. paths], count, time.GetUtcNow());
    }

    public static EdgeCacheMetrics Metrics(Caching.CacheStage cache, string location)
    {
        var counters = cache.Store(location).GetCounters();
        return new EdgeCacheMetrics(location, counters.Entries, counters.BytesStored, counters.Evictions, counters.FillFailures,
            cache.Metrics.Snapshot(location), counters.Disk);
    }
}
