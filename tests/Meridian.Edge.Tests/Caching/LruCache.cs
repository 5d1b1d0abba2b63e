namespace Meridian.Edge.Tests.Caching;

/// <summary>A plain LRU of a fixed number of keys: the baseline the S3-FIFO store is compared with (tests only).</summary>
internal sealed class LruCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<string>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();

    public int Count => _map.Count;

    public bool Contains(string key) => _map.ContainsKey(key);

    /// <summary>A request: true on a hit (moved to the front), false on a miss (inserted, evicting the least recent).</summary>
    public bool Access(string key)
    {
        if (_map.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            return true;
        }

        _map[key] = _order.AddFirst(key);
        if (_map.Count > capacity)
        {
            var last = _order.Last!;
            _order.RemoveLast();
            _map.Remove(last.Value);
        }

        return false;
    }
}
