namespace Meridian.Edge.Caching;

/// <summary>
/// What the HTTP layer decided about a stored response; the store keeps it opaque and never judges freshness
/// (the caller compares <see cref="Expires"/> and the stale allowances with its own clock).
/// Replaced as a whole by <see cref="CacheStore.Refresh"/> after a 304 revalidation.
/// </summary>
internal sealed record CacheEntryMetadata(
    DateTimeOffset StoredAt,
    DateTimeOffset Expires,
    TimeSpan StaleWhileRevalidate = default,
    TimeSpan StaleIfError = default,
    string? ETag = null,
    DateTimeOffset? LastModified = null);
