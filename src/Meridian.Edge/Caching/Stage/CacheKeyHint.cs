using Meridian.Topology.Model;

namespace Meridian.Edge.Caching;

/// <summary>
/// What the hit path learnt about a request it could not answer (its behaviour and key), handed to the cache stage so
/// a miss does not match the behaviour and build the key a second time.
/// </summary>
/// <param name="Pass">The key is marked hit-for-miss (<see cref="UncacheableMarkers"/>) and nothing would be compressed: the
/// cache stage takes its pass path (<see cref="PassHook"/>).</param>
/// <param name="Key">Null for a behaviour with caching disabled: no key is formatted.</param>
/// <param name="Uncached">The behaviour has caching disabled: the cache stage forwards with its <see cref="UncachedHook"/>.</param>
internal sealed record CacheKeyHint(CacheBehaviorConfig Behavior, CacheKeyBuilder Builder, CacheKeyResult? Key, bool Pass = false,
    UncachedBehavior? Uncached = null);
