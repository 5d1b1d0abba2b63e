using Meridian.Topology.Model;

namespace Meridian.Edge.Caching;

/// <summary>
/// One behaviour with caching disabled, and what its requests need at each location, resolved once: the counters, the
/// X-Cache values and, for the common request shapes, the hook itself — so such a request allocates no hook and looks
/// nothing up by name.
/// </summary>
internal sealed class UncachedBehavior(string distribution, CacheBehaviorConfig behavior, CacheKeyBuilder builder)
{
    private readonly Lock _adding = new();

    // Copy-on-write, found by reference: a handful of locations, one lookup per request.
    private UncachedLocation[] _locations = [];

    /// <summary>What the hit path hands the cache stage for this behaviour: the same for every request, made once.</summary>
    public CacheKeyHint Hint => field ??= new CacheKeyHint(behavior, builder, Key: null, Uncached: this);

    public UncachedLocation At(string location, string viaHop, CacheMetricsRegistry metrics)
    {
        foreach (var entry in Volatile.Read(ref _locations))
        {
            if (ReferenceEquals(entry.Location, location))
            {
                return entry;
            }
        }

        return Add(location, viaHop, metrics);
    }

    private UncachedLocation Add(string location, string viaHop, CacheMetricsRegistry metrics)
    {
        lock (_adding)
        {
            var current = _locations;
            foreach (var entry in current)
            {
                if (entry.Location == location)
                {
                    return entry;
                }
            }

            var added = new UncachedLocation(location, viaHop, metrics.For(location, distribution, behavior.PathPattern));
            Volatile.Write(ref _locations, [.. current, added]);
            return added;
        }
    }
}
