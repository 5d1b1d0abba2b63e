using System.Collections.Immutable;
using Meridian.Edge.Caching;

namespace Meridian.Edge.Tests.Caching;

internal static class CacheTestData
{
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static readonly ImmutableArray<KeyValuePair<string, string>> NoHeaders = [];

    public static readonly ImmutableArray<KeyValuePair<string, string>> TextHeaders = [new("Content-Type", "text/plain")];

    public static CacheEntryMetadata Metadata(int ttlSeconds = 60, string? etag = null) =>
        new(Now, Now.AddSeconds(ttlSeconds), ETag: etag);

    public static CacheStore Store(long memoryBytes, TimeProvider? time = null, long? maxObjectBytes = null, TimeSpan? waitTimeout = null) =>
        new(new CacheStoreOptions
        {
            MemoryBytes = memoryBytes,
            MaxObjectBytes = maxObjectBytes,
            WaitTimeout = waitTimeout ?? TimeSpan.FromSeconds(5),
        }, time ?? TimeProvider.System);

    /// <summary>The accounted size of an entry with no headers and an empty body (what the eviction tests count in).</summary>
    public static long EmptyEntrySize(string key, string path) => CacheSizing.Estimate(key, path, NoHeaders, 0);

    public static bool SetEmpty(this CacheStore store, string key) => store.Set(key, "/" + key, 200, NoHeaders, Metadata(), []);

    public static async Task<byte[]> ReadAllAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        Assert.True(entry.Body.TryOpenReader(out var reader), "body released");
        using (reader)
        {
            var output = new MemoryStream();
            await reader.CopyToAsync(output, cancellationToken);
            return output.ToArray();
        }
    }

    public static byte[] Bytes(int length, byte seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(seed + i);
        }

        return bytes;
    }
}
