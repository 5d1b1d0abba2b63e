namespace Meridian.SampleApp;

/// <summary>
/// In-process handle on one running instance: the same switches as <c>POST /admin/mode</c>, plus counters.
/// Thread-safe; the mode is an immutable snapshot swapped atomically so a request sees one consistent mode.
/// </summary>
public sealed class SampleAppControl
{
    private SampleAppMode _mode = SampleAppMode.Healthy;
    private long _orders;
    private long _requests;

    public SampleAppMode Mode
    {
        get => Volatile.Read(ref _mode);
        set => Volatile.Write(ref _mode, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>How many POST /api/orders this instance accepted (the "POSTs are not retried" evidence).</summary>
    public long OrderCount => Interlocked.Read(ref _orders);

    /// <summary>Non-admin requests seen, including ones answered with an injected fault.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    public void SetHealthy() => Mode = SampleAppMode.Healthy;

    public void SetUnhealthy() => Mode = SampleAppMode.Healthy with { Unhealthy = true };

    public void SetSlow(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        Mode = SampleAppMode.Healthy with { Delay = delay };
    }

    public void SetError(int status = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        Mode = SampleAppMode.Healthy with { ErrorStatus = status };
    }

    internal long NextOrder() => Interlocked.Increment(ref _orders);

    internal void CountRequest() => Interlocked.Increment(ref _requests);
}
