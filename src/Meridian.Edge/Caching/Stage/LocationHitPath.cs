namespace Meridian.Edge.Caching;

/// <summary>What the hit path of one edge location needs, resolved once per location: its store and fixed header values.</summary>
internal sealed class LocationHitPath(string location, CacheStore store)
{
    public string Location { get; } = location;

    public CacheStore Store { get; } = store;

    public string ViaHop { get; } = EdgeTransformer.ViaHop(location);

    public string XCacheHit { get; } = Revalidation.XCache(CacheOutcome.Hit, location);

    public string XCacheError { get; } = Revalidation.XCache(CacheOutcome.Error, location);
}
