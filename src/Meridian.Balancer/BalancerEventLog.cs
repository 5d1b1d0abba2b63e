namespace Meridian.Balancer;

/// <summary>
/// The most recent balancer events in a bounded ring (oldest dropped first). Thread-safe. Subscribers get every event
/// synchronously on the reporting thread, so they must be quick; their exceptions are swallowed so one bad subscriber
/// cannot stop the balancer.
/// </summary>
public sealed class BalancerEventLog
{
    public const int DefaultCapacity = 1000;

    private readonly BalancerEvent[] _ring;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;
    private long _total;

    public BalancerEventLog(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new BalancerEvent[capacity];
    }

    /// <summary>Raised after an event is recorded.</summary>
    public event Action<BalancerEvent>? Changed;

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

    public void Add(BalancerEvent balancerEvent)
    {
        Record(balancerEvent);
        Notify(balancerEvent);
    }

    /// <summary>Stores the event without notifying (the target group records under its lock and notifies after).</summary>
    internal void Record(BalancerEvent balancerEvent)
    {
        ArgumentNullException.ThrowIfNull(balancerEvent);
        lock (_gate)
        {
            _ring[_next] = balancerEvent;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
            Interlocked.Increment(ref _total);
        }
    }

    internal void Notify(BalancerEvent balancerEvent)
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
                ((Action<BalancerEvent>)handler)(balancerEvent);
            }
            catch (Exception)
            {
                // A subscriber's failure must not break the balancer (see class remarks).
            }
        }
    }

    /// <summary>Subscribes to <see cref="Changed"/>; dispose the result to unsubscribe.</summary>
    public IDisposable Subscribe(Action<BalancerEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Changed += handler;
        return new Subscription(this, handler);
    }

    /// <summary>The recorded events, oldest first (newest last).</summary>
    public IReadOnlyList<BalancerEvent> Snapshot()
    {
        lock (_gate)
        {
            var result = new BalancerEvent[_count];
            var start = (_next - _count + _ring.Length) % _ring.Length;
            for (var i = 0; i < _count; i++)
            {
                result[i] = _ring[(start + i) % _ring.Length];
            }

            return result;
        }
    }

    private sealed class Subscription(BalancerEventLog log, Action<BalancerEvent> handler) : IDisposable
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
