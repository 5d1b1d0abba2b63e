using Meridian.Topology.Model;

namespace Meridian.Edge.Caching;

/// <summary>
/// One behaviour with caching disabled, and what its requests need at each location, resolved once: the counters, the
/// X-Cache values and, for the common request shapes, the hook itself — so such a request allocates no hook and looks
/// nothing up by name.
/// </summary>
internal sealed class UncachedBehavior(string distribution, CacheBehaviorConfig behavior, CacheKeyBuilder builder)
{
    // Copy-on-write, found by reference: a handful of locations, one lookup per request.
    private UncachedLocation[] _locations = [];

    public CacheBehaviorConfig Behavior { get; } = behavior;

    public CacheKeyBuilder Builder { get; } = builder;

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
        lock (this)
        {
            var current = _locations;
            foreach (var entry in current)
            {
                if (entry.Location == location)
                {
                    return entry;
                }
            }

            var added = new UncachedLocation(location, viaHop, metrics.For(location, distribution, Behavior.PathPattern));
            Volatile.Write(ref _locations, [.. current, added]);
            return added;
        }
    }
}
