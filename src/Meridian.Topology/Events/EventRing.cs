namespace Meridian.Topology.Events;

/// <summary>
/// The most recent events of one kind in a bounded ring (oldest dropped first). Thread-safe. Subscribers get every event
/// synchronously on the reporting thread, so they must be quick; their exceptions are swallowed so one bad subscriber
/// cannot stop the component recording them. Health, balancer and edge events share this.
/// </summary>
public class EventRing<T> where T : class
{
    public const int DefaultCapacity = 1000;

    private readonly T[] _ring;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;
    private long _total;

    public EventRing(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new T[capacity];
    }

    /// <summary>Raised after an event is recorded.</summary>
    public event Action<T>? Changed;

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

    public void Add(T item)
    {
        Record(item);
        Notify(item);
    }

    /// <summary>Stores the event without notifying (callers that record under their own lock notify after releasing it).</summary>
    public void Record(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            _ring[_next] = item;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
            Interlocked.Increment(ref _total);
        }
    }

    public void Notify(T item)
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
                ((Action<T>)handler)(item);
            }
            catch (Exception)
            {
                // A subscriber's failure must not break the recorder (see class remarks).
            }
        }
    }

    /// <summary>Subscribes to <see cref="Changed"/>; dispose the result to unsubscribe.</summary>
    public IDisposable Subscribe(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Changed += handler;
        return new Subscription(this, handler);
    }

    /// <summary>The recorded events, oldest first (newest last).</summary>
    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            var result = new T[_count];
            var start = (_next - _count + _ring.Length) % _ring.Length;
            for (var i = 0; i < _count; i++)
            {
                result[i] = _ring[(start + i) % _ring.Length];
            }

            return result;
        }
    }

    private sealed class Subscription(EventRing<T> log, Action<T> handler) : IDisposable
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
