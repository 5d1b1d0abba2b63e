using System.Collections.Concurrent;

namespace Meridian.Forwarding;

/// <summary>
/// A concurrent memo bounded by its number of entries: when full it starts over, so a stream of new keys (a scan, an
/// attacker) costs rebuilding entries, never memory. For values that are cheap to rebuild and immutable, read far
/// more often than added. The count is kept by hand: <see cref="ConcurrentDictionary{TKey,TValue}.Count"/> takes
/// every lock.
/// </summary>
internal sealed class SelfClearingCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _items = new(comparer);
    private int _count;

    /// <summary>Entries kept (tests).</summary>
    public int Count => _items.Count;

    public bool TryGet(TKey key, out TValue value) => _items.TryGetValue(key, out value!);

    /// <summary>Keeps <paramref name="value"/> (first writer wins), emptying the cache first when it is full.</summary>
    public void Add(TKey key, TValue value)
    {
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _items.Clear();
            Volatile.Write(ref _count, 1);
        }

        _items.TryAdd(key, value);
    }
}
