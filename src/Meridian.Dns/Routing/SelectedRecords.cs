namespace Meridian.Dns.Routing;

/// <summary>
/// The records an evaluation chose, in a buffer reused across queries on one thread (no allocation per query).
/// <see cref="Mark"/>/<see cref="Rollback"/> let the evaluator try an alias target and undo it when unhealthy.
/// </summary>
internal sealed class SelectedRecords
{
    private Entry[] _items = new Entry[16];

    public int Count { get; private set; }

    public ref readonly Entry this[int index] => ref _items[index];

    public void Add(byte[][] rdata, uint ttl)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = new Entry(rdata, ttl);
    }

    public int Mark() => Count;

    public void Rollback(int mark) => Count = mark;

    public void Clear() => Count = 0;

    /// <summary>One record's values to put in the answer, with the TTL to use.</summary>
    internal readonly record struct Entry(byte[][] Rdata, uint Ttl);
}
