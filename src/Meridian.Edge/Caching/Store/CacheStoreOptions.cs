using Meridian.Topology.Model;

namespace Meridian.Edge.Caching;

/// <summary>Limits of one <see cref="CacheStore"/>.</summary>
internal sealed record CacheStoreOptions
{
    /// <summary>The bound on stored bytes: bodies (pooled capacity) + headers + key/path + a per-entry overhead.</summary>
    public long MemoryBytes { get; init; } = EdgeCacheConfig.Default.MemoryBytes;

    /// <summary>
    /// Larger responses are streamed through but not stored; null = <see cref="MemoryBytes"/> / 8, so one object
    /// can never flush more than an eighth of the cache (a 1 GiB download would otherwise evict the whole hot set
    /// of a 256 MiB cache for an object that is rarely requested twice).
    /// </summary>
    public long? MaxObjectBytes { get; init; }

    /// <summary>
    /// How long a collapsed request waits for the filler's response headers before going to the origin itself.
    /// 5 s: longer than a typical origin first byte (≤ 1 s) and shorter than CloudFront's 30 s origin response
    /// timeout, so a hung filler costs its waiters at most 5 s, not the filler's whole timeout.
    /// </summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public long EffectiveMaxObjectBytes => Math.Min(MaxObjectBytes ?? MemoryBytes / 8, MemoryBytes);

    public static CacheStoreOptions From(EdgeCacheConfig config) => new() { MemoryBytes = config.MemoryBytes };
}
