namespace Meridian.Edge.Caching;

/// <summary>
/// S3-FIFO's ghost queue: hashes of keys recently evicted from the small queue, without their data. A key that
/// comes back while still remembered goes straight to the main queue (it was evicted too early). Hashes, not
/// strings: 4 B instead of ~60 B per remembered key; a collision only promotes one object early. Not thread-safe.
/// </summary>
internal sealed class GhostQueue
{
    private readonly Queue<int> _order = new();
    private readonly Dictionary<int, int> _counts = new();

    public int Count => _order.Count;

    public bool Contains(string key) => _counts.ContainsKey(Hash(key));

    /// <summary>Remembers a key, forgetting the oldest beyond <paramref name="capacity"/> keys.</summary>
    public void Add(string key, int capacity)
    {
        var hash = Hash(key);
        _order.Enqueue(hash);
        _counts[hash] = _counts.GetValueOrDefault(hash) + 1;
        while (_order.Count > Math.Max(capacity, 1))
        {
            var old = _order.Dequeue();
            var count = _counts[old] - 1;
            if (count == 0)
            {
                _counts.Remove(old);
            }
            else
            {
                _counts[old] = count;
            }
        }
    }

    public void Clear()
    {
        _order.Clear();
        _counts.Clear();
    }

    private static int Hash(string key) => StringComparer.Ordinal.GetHashCode(key);
}
