namespace Meridian.Edge.Caching;

/// <summary>A behaviour with caching disabled at one location: its counters, header values and reusable hooks.</summary>
internal sealed class UncachedLocation(string location, string viaHop, CacheBehaviorCounters counters)
{
    // The hooks of the builder's shared request shapes (no query string or cookies forwarded): at most a few, kept.
    private (ForwardedRequestShape Shape, UncachedHook Hook)[] _shared = [];

    public string Location { get; } = location;

    public string ViaHop { get; } = viaHop;

    public CacheBehaviorCounters Counters { get; } = counters;

    public string XCacheMiss { get; } = Revalidation.XCache(CacheOutcome.Miss, location);

    public string XCacheError { get; } = Revalidation.XCache(CacheOutcome.Error, location);

    /// <summary>The hook for <paramref name="shape"/>: a shared one when the builder shares the shape, else a new one.</summary>
    public UncachedHook Hook(ForwardedRequestShape shape, bool shared)
    {
        if (!shared)
        {
            return new UncachedHook(shape, this);
        }

        foreach (var (known, hook) in Volatile.Read(ref _shared))
        {
            if (ReferenceEquals(known, shape))
            {
                return hook;
            }
        }

        // A lost race only adds a duplicate; the array stays bounded by the builder's shared shapes (four) plus a few.
        var created = new UncachedHook(shape, this);
        var current = Volatile.Read(ref _shared);
        if (current.Length < 8)
        {
            Volatile.Write(ref _shared, [.. current, (shape, created)]);
        }

        return created;
    }
}
