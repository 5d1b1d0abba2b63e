using System.Collections.Concurrent;

namespace Meridian.Edge;

/// <summary>Cache counters of one behaviour of one distribution at one location.</summary>
public sealed record EdgeCacheBehaviorMetrics(
    string Distribution,
    string PathPattern,
    long Hits,
    long Misses,
    double HitRatio,
    long BytesServed,
    long BytesFromOrigin,
    long Collapsed,
    long StaleServed);

/// <summary>The cache of one edge location: its store's counters and per-behaviour counters.</summary>
/// <param name="Disk">The disk tier's counters; null when the cache is memory only.</param>
public sealed record EdgeCacheMetrics(
    string Location,
    long Entries,
    long BytesStored,
    long Evictions,
    long FillFailures,
    IReadOnlyList<EdgeCacheBehaviorMetrics> Behaviors,
    EdgeDiskCacheMetrics? Disk = null);

/// <summary>The disk tier of one edge location (a snapshot: each counter read atomically, not the set as a whole).</summary>
/// <param name="Bytes">File bytes on disk (what <c>disk_size</c> bounds).</param>
/// <param name="Hits">Memory misses read back from disk (answered without the origin).</param>
/// <param name="Writes">Files written: stored entries, refreshed ones, and entries evicted from memory that were not on disk.</param>
/// <param name="WritesDropped">Writes skipped because the writer had 256 queued (a disk slower than the origin).</param>
/// <param name="Failures">Reads and writes that failed with an I/O error (disk full, permissions).</param>
/// <param name="Corrupt">Torn or damaged files found (at start-up or on read) and deleted.</param>
/// <param name="Loaded">The files found at start are indexed (until then they are misses).</param>
public sealed record EdgeDiskCacheMetrics(
    long Entries,
    long Bytes,
    long Hits,
    long Writes,
    long WritesDropped,
    long Failures,
    long Evictions,
    long Corrupt,
    bool Loaded);

/// <summary>The result of <see cref="EdgeServer.Invalidate"/>: entries removed across every location of the distribution.</summary>
public sealed record InvalidationResult(string Id, IReadOnlyList<string> Paths, int Invalidated, DateTimeOffset CompletedAt);

internal sealed class CacheBehaviorCounters
{
    private long _hits;
    private long _misses;
    private long _bytesServed;
    private long _bytesFromOrigin;
    private long _collapsed;
    private long _staleServed;

    public void Hit() => Interlocked.Increment(ref _hits);

    public void Miss() => Interlocked.Increment(ref _misses);

    public void Collapsed() => Interlocked.Increment(ref _collapsed);

    public void StaleServed() => Interlocked.Increment(ref _staleServed);

    public void Served(long bytes) => Interlocked.Add(ref _bytesServed, bytes);

    public void FromOrigin(long bytes) => Interlocked.Add(ref _bytesFromOrigin, bytes);

    public EdgeCacheBehaviorMetrics Snapshot(string distribution, string pattern)
    {
        var hits = Interlocked.Read(ref _hits);
        var misses = Interlocked.Read(ref _misses);
        return new EdgeCacheBehaviorMetrics(distribution, pattern, hits, misses,
            hits + misses == 0 ? 0 : (double)hits / (hits + misses), Interlocked.Read(ref _bytesServed),
            Interlocked.Read(ref _bytesFromOrigin), Interlocked.Read(ref _collapsed), Interlocked.Read(ref _staleServed));
    }
}

/// <summary>Per location, per (distribution, behaviour pattern) counters.</summary>
internal sealed class CacheMetricsRegistry
{
    private readonly ConcurrentDictionary<(string Location, string Distribution, string Pattern), CacheBehaviorCounters> _counters = new();

    public CacheBehaviorCounters For(string location, string distribution, string pattern) =>
        _counters.GetOrAdd((location, distribution, pattern), static _ => new CacheBehaviorCounters());

    public IReadOnlyList<EdgeCacheBehaviorMetrics> Snapshot(string location) =>
        _counters.Where(c => c.Key.Location == location)
            .OrderBy(c => c.Key.Distribution, StringComparer.Ordinal).ThenBy(c => c.Key.Pattern, StringComparer.Ordinal)
            .Select(c => c.Value.Snapshot(c.Key.Distribution, c.Key.Pattern))
            .ToArray();
}
