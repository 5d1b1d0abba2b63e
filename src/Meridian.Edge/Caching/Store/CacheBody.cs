using System.Buffers;

namespace Meridian.Edge.Caching;

/// <summary>
/// A response body in pooled segments, readable while it is being written: one writer (the filler) appends,
/// any number of <see cref="CacheBodyReader"/>s read what is there and await more. Reference counted so its
/// buffers go back to <see cref="ArrayPool{T}.Shared"/> only when neither the store nor a reader can touch them;
/// a reader that is never disposed only means its buffers are left to the GC, never a use after return.
/// </summary>
internal sealed class CacheBody
{
    // Segment sizes grow 4 → 16 → 64 KiB when the length is unknown: half of web objects are under ~8 KiB, so a
    // fixed 64 KiB segment would waste ~90% of a small entry's accounted bytes, while 64 KiB caps the copies and
    // the segment count of a large one (1 MiB = 16 segments) and stays below the LOH threshold (85,000 bytes).
    internal const int FirstSegmentBytes = 4 * 1024;
    internal const int MaxSegmentBytes = 64 * 1024;

    private const int Filling = 0, Completed = 1, Failed = 2;

    private readonly long? _expectedLength;
    private CacheBodySegment[] _segments = [];
    private int _segmentCount;
    private long _length;
    private long _capacity;
    private int _state;
    private int _refs = 1; // the owner's: the fill, then the store
    private Exception? _failure;
    private TaskCompletionSource? _signal;

    public CacheBody(long? expectedLength = null) => _expectedLength = expectedLength;

    /// <summary>Bytes appended so far (final once <see cref="IsCompleted"/>).</summary>
    public long Length => Volatile.Read(ref _length);

    /// <summary>Bytes of pooled buffers held: what the store accounts, since that is the memory really used.</summary>
    public long Capacity => Volatile.Read(ref _capacity);

    public bool IsCompleted => Volatile.Read(ref _state) == Completed;

    public bool IsFailed => Volatile.Read(ref _state) == Failed;

    internal int SegmentCount => Volatile.Read(ref _segmentCount);

    internal CacheBodySegment Segment(int index) => Volatile.Read(ref _segments)[index];

    internal Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Opens a reader from the first byte; false when the body was already released (evicted and unread).</summary>
    public bool TryOpenReader(out CacheBodyReader reader)
    {
        if (!TryAcquire())
        {
            reader = null!;
            return false;
        }

        reader = new CacheBodyReader(this);
        return true;
    }

    /// <summary>The filler's write: copies into pooled segments and wakes waiting readers. Single writer only.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (Volatile.Read(ref _state) != Filling)
        {
            throw new InvalidOperationException("the body is no longer filling");
        }

        while (!data.IsEmpty)
        {
            var segment = _segmentCount == 0 ? null : _segments[_segmentCount - 1];
            if (segment is null || segment.Count == segment.Buffer.Length)
            {
                segment = AddSegment();
            }

            var count = segment.Count;
            var n = Math.Min(data.Length, segment.Buffer.Length - count);
            data[..n].CopyTo(segment.Buffer.AsSpan(count));
            segment.Publish(count + n);
            Volatile.Write(ref _length, _length + n);
            data = data[n..];
        }

        Signal();
    }

    public void Complete()
    {
        if (Interlocked.CompareExchange(ref _state, Completed, Filling) == Filling)
        {
            Signal();
        }
    }

    public void Fail(Exception failure)
    {
        Volatile.Write(ref _failure, failure);
        if (Interlocked.CompareExchange(ref _state, Failed, Filling) == Filling)
        {
            Signal();
        }
    }

    internal bool TryAcquire()
    {
        var refs = Volatile.Read(ref _refs);
        while (refs > 0)
        {
            var seen = Interlocked.CompareExchange(ref _refs, refs + 1, refs);
            if (seen == refs)
            {
                return true;
            }

            refs = seen;
        }

        return false;
    }

    /// <summary>Drops one reference; the last one returns the buffers to the pool.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _refs) != 0)
        {
            return;
        }

        var segments = Interlocked.Exchange(ref _segments, []);
        for (var i = 0; i < segments.Length && segments[i] is { } segment; i++)
        {
            ArrayPool<byte>.Shared.Return(segment.Buffer);
        }
    }

    /// <summary>A task completed at the next append, completion or failure (re-check state after taking it).</summary>
    internal Task NextChange()
    {
        var signal = Volatile.Read(ref _signal);
        if (signal is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal = Interlocked.CompareExchange(ref _signal, created, null) ?? created;
        }

        return signal.Task;
    }

    private void Signal() => Interlocked.Exchange(ref _signal, null)?.TrySetResult();

    private CacheBodySegment AddSegment()
    {
        var size = NextSegmentSize();
        var segment = new CacheBodySegment(ArrayPool<byte>.Shared.Rent(size));
        var segments = _segments;
        if (_segmentCount == segments.Length)
        {
            // Readers hold the old array (a prefix of the new one), so growing by copy is safe without a lock.
            var grown = new CacheBodySegment[Math.Max(4, segments.Length * 2)];
            segments.AsSpan().CopyTo(grown);
            segments = grown;
        }

        segments[_segmentCount] = segment;
        Volatile.Write(ref _segments, segments);
        Volatile.Write(ref _segmentCount, _segmentCount + 1);
        Volatile.Write(ref _capacity, _capacity + segment.Buffer.Length);
        return segment;
    }

    private int NextSegmentSize()
    {
        if (_expectedLength is { } expected && expected > _length)
        {
            return (int)Math.Clamp(expected - _length, 1, MaxSegmentBytes);
        }

        return _segmentCount switch
        {
            0 => FirstSegmentBytes,
            1 => FirstSegmentBytes * 4,
            _ => MaxSegmentBytes,
        };
    }
}
