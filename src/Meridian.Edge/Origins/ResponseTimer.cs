namespace Meridian.Edge;

/// <summary>
/// The origin response timeout of one request (time to response headers). Paused while a connection is being
/// opened for the request, because connecting has its own budget (attempts × connection timeout), as in CloudFront.
/// Holds a pooled <see cref="ResponseTimerSource"/> until <see cref="Release"/>; a connect callback that outlives
/// its request (pooled connections) then finds nothing to pause or resume.
/// </summary>
internal sealed class ResponseTimer
{
    public static readonly HttpRequestOptionsKey<ResponseTimer> Key = new("Meridian.Edge.ResponseTimer");

    private readonly TimeSpan _timeout;
    private ResponseTimerSource? _source;

    public ResponseTimer(ResponseTimerSource source, TimeSpan timeout)
    {
        _timeout = timeout;
        _source = source;
        Token = source.Token;
        source.CancelAfter(timeout);
    }

    public CancellationToken Token { get; }

    public void Pause() => Arm(Timeout.InfiniteTimeSpan);

    // Restarts the full timeout: the connection is open, now the origin gets its whole response time.
    public void Resume() => Arm(_timeout);

    /// <summary>Ends the lease: the source goes back to its pool, out of reach of a late Pause or Resume.</summary>
    public ResponseTimerSource Release()
    {
        lock (this)
        {
            var source = _source!;
            _source = null;
            return source;
        }
    }

    // Locks on itself: an internal type only Meridian's handler and connect callback see, and no extra object per request.
    private void Arm(TimeSpan delay)
    {
        lock (this)
        {
            _source?.CancelAfter(delay);
        }
    }
}
