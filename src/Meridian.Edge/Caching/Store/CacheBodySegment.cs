namespace Meridian.Edge.Caching;

/// <summary>
/// One pooled buffer of a body. The filler writes bytes past <see cref="Count"/> and then publishes them with a
/// volatile write; readers never look past a volatile read of it, so a segment needs no lock.
/// </summary>
internal sealed class CacheBodySegment(byte[] buffer)
{
    public byte[] Buffer { get; } = buffer;

    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Publish(int count) => Volatile.Write(ref _count, count);
}
