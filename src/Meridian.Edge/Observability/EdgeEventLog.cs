namespace Meridian.Edge;

/// <summary>
/// The most recent edge events (origin health changes, failovers) in a bounded ring (oldest dropped first). Thread-safe. Subscribers get every event
/// synchronously on the reporting thread, so they must be quick; their exceptions are swallowed so one bad subscriber
/// cannot break request handling.
/// </summary>
public sealed class EdgeEventLog
{
    public const int DefaultCapacity = 1000;

    private readonly EdgeEvent[] _ring;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;
    private long _total;

    public EdgeEventLog(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new EdgeEvent[capacity];
    }

    /// <summary>Raised after an event is recorded.</summary>
    public event Action<EdgeEvent>? Changed;

    public int Capacity => _ring.Length;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Events recorded since creation, including those already dropped from the ring.</summary>
    public long TotalRecorded => Interlocked.Read(ref _total);

    public void Add(EdgeEvent edgeEvent)
    {
        Record(edgeEvent);
        Notify(edgeEvent);
    }

    /// <summary>Stores the event without notifying (the origin health records under its lock and notifies after).</summary>
    internal void Record(EdgeEvent edgeEvent)
    {
        ArgumentNullException.ThrowIfNull(edgeEvent);
        lock (_gate)
        {
            _ring[_next] = edgeEvent;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
            Interlocked.Increment(ref _total);
        }
    }

    internal void Notify(EdgeEvent edgeEvent)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((Action<EdgeEvent>)handler)(edgeEvent);
            }
            catch (Exception)
            {
                // A subscriber's failure must not break the edge (see class remarks).
            }
        }
    }

    /// <summary>Subscribes to <see cref="Changed"/>; dispose the result to unsubscribe.</summary>
    public IDisposable Subscribe(Action<EdgeEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Changed += handler;
        return new Subscription(this, handler);
    }

    /// <summary>The recorded events, oldest first (newest last).</summary>
    public IReadOnlyList<EdgeEvent> Snapshot()
    {
        lock (_gate)
        {
            var result = new EdgeEvent[_count];
            var start = (_next - _count + _ring.Length) % _ring.Length;
            for (var i = 0; i < _count; i++)
            {
                result[i] = _ring[(start + i) % _ring.Length];
            }

            return result;
        }
    }

    private sealed class Subscription(EdgeEventLog log, Action<EdgeEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                log.Changed -= handler;
            }
        }
    }
}
