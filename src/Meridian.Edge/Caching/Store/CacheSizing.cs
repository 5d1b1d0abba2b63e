using System.Collections.Immutable;

namespace Meridian.Edge.Caching;

/// <summary>The bytes an entry is accounted for against <see cref="CacheStoreOptions.MemoryBytes"/>.</summary>
internal static class CacheSizing
{
    // 384 B per entry, from 64-bit object layouts: CacheNode ~48, CacheEntry ~64, CacheEntryMetadata ~96,
    // CacheBody ~88 + its segment array ~56, a ConcurrentDictionary node ~48 and a queue slot 8 ≈ 408 - rounded
    // to 384 since small bodies have no segment array. It matters for small objects: a 300 B JSON answer costs
    // more in bookkeeping than in body, and a bound that ignored it would overshoot by 2x.
    public const int EntryOverheadBytes = 384;

    // A string is 22 B of header/length/terminator + 2 B per char; a header pair also takes a 16 B array slot.
    private const int StringOverheadBytes = 22;
    private const int HeaderSlotBytes = 16;

    public static long Estimate(string key, string path, ImmutableArray<KeyValuePair<string, string>> headers, long bodyCapacity)
    {
        long size = EntryOverheadBytes + bodyCapacity + StringBytes(key) + StringBytes(path);
        foreach (var (name, value) in headers)
        {
            size += HeaderSlotBytes + StringBytes(name) + StringBytes(value);
        }

        return size;
    }

    public static long Estimate(CacheEntry entry) => Estimate(entry.Key, entry.Path, entry.Headers, entry.Body.Capacity);

    private static long StringBytes(string value) => StringOverheadBytes + 2L * value.Length;
}
