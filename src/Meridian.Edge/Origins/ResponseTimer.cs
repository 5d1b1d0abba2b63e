namespace Meridian.Edge;

/// <summary>
/// The origin response timeout of one request (time to response headers). Paused while a connection is being
/// opened for the request, because connecting has its own budget (attempts × connection timeout), as in CloudFront.
/// </summary>
internal sealed class ResponseTimer : IDisposable
{
    public static readonly HttpRequestOptionsKey<ResponseTimer> Key = new("Meridian.Edge.ResponseTimer");

    private readonly CancellationTokenSource _cts;
    private readonly TimeSpan _timeout;
    private readonly Lock _gate = new();
    private bool _disposed;

    public ResponseTimer(TimeSpan timeout, TimeProvider time)
    {
        _timeout = timeout;
        _cts = new CancellationTokenSource(timeout, time);
    }

    public CancellationToken Token => _cts.Token;

    public bool Expired => _cts.IsCancellationRequested;

    public void Pause() => Arm(Timeout.InfiniteTimeSpan);

    // Restarts the full timeout: the connection is open, now the origin gets its whole response time.
    public void Resume() => Arm(_timeout);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _cts.Dispose();
        }
    }

    private void Arm(TimeSpan delay)
    {
        // The connect callback may outlive the request that started the connection (pooled connections).
        lock (_gate)
        {
            if (!_disposed && !_cts.IsCancellationRequested)
            {
                _cts.CancelAfter(delay);
            }
        }
    }
}
