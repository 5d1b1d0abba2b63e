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

    /// <summary>The disk tier's folder (<see cref="DiskCacheTier"/>); null = memory only.</summary>
    public string? DiskPath { get; init; }

    /// <summary>The disk tier's bound in bytes (file lengths).</summary>
    public long DiskBytes { get; init; }

    public long EffectiveMaxObjectBytes => Math.Min(MaxObjectBytes ?? MemoryBytes / 8, MemoryBytes);

    public static CacheStoreOptions From(EdgeCacheConfig config) =>
        new() { MemoryBytes = config.MemoryBytes, DiskPath = config.DiskPath, DiskBytes = config.DiskPath is null ? 0 : config.DiskBytes };

    /// <summary>
    /// One location's options: its disk tier in a folder of its own under <see cref="DiskPath"/> (named after the
    /// location when that is a plain name, else by its hash), with the whole <see cref="DiskBytes"/> bound.
    /// </summary>
    public CacheStoreOptions ForLocation(string location) =>
        DiskPath is null ? this : this with { DiskPath = Path.Combine(DiskPath, FolderName(location)) };

    private static string FolderName(string location) =>
        location.Length is > 0 and <= 64 && location.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && location[0] != '-'
            ? location
            : "location-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(location)))[..16];
}
