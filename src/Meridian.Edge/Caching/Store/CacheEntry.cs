using System.Collections.Immutable;

namespace Meridian.Edge.Caching;

/// <summary>
/// A stored (or streaming) response, immutable: <see cref="CacheStore.Refresh"/> swaps in a copy with new
/// metadata sharing the same <see cref="Body"/>, so a reader never sees headers and metadata of two versions.
/// </summary>
internal sealed class CacheEntry(
    string key,
    string path,
    int status,
    ImmutableArray<KeyValuePair<string, string>> headers,
    CacheEntryMetadata metadata,
    CacheBody body)
{
    public string Key { get; } = key;

    /// <summary>The request path the response was stored for: what <see cref="CacheStore.Invalidate"/> matches.</summary>
    public string Path { get; } = path;

    public int Status { get; } = status;

    public ImmutableArray<KeyValuePair<string, string>> Headers { get; } = headers.IsDefault ? [] : headers;

    public CacheEntryMetadata Metadata { get; } = metadata;

    /// <summary>Complete for a stored entry; possibly still filling for an entry handed to a collapsed waiter.</summary>
    public CacheBody Body { get; } = body;

    /// <summary>
    /// The response headers of a hit, prepared on the first hit (<see cref="PreparedHitHeaders"/>). Racing first hits may
    /// each build one; they are equal, and the last write wins.
    /// </summary>
    internal PreparedHitHeaders? Prepared { get; set; }

    internal CacheEntry With(CacheEntryMetadata metadata, ImmutableArray<KeyValuePair<string, string>>? headers) =>
        new(Key, Path, Status, headers ?? Headers, metadata, Body);
}
