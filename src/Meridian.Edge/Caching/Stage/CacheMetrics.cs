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
public sealed record EdgeCacheMetrics(
    string Location,
    long Entries,
    long BytesStored,
    long Evictions,
    long FillFailures,
    IReadOnlyList<EdgeCacheBehaviorMetrics> Behaviors);

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
