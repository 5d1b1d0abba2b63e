using System.Collections.Concurrent;

namespace Meridian.Edge;

/// <summary>
/// Enforces the origin response timeout up to the response headers only; the body is then streamed under YARP's
/// activity timeout. A distinct exception lets the forwarder tell a timeout from a connection failure.
/// </summary>
internal sealed class ResponseTimeoutHandler(HttpMessageHandler inner, TimeSpan timeout, TimeProvider time) : DelegatingHandler(inner)
{
    // Enough for every request in flight at once on a busy origin; beyond it, sources are simply disposed.
    private const int MaxPooled = 1024;

    private readonly ConcurrentQueue<ResponseTimerSource> _pool = new();
    private int _pooled;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var source = Rent();
        source.Link(cancellationToken);
        var timer = new ResponseTimer(source, timeout);
        request.Options.Set(ResponseTimer.Key, timer);
        try
        {
            return await base.SendAsync(request, timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (source.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new OriginResponseTimeoutException(timeout);
        }
        finally
        {
            Return(timer.Release());
        }
    }

    protected override void Dispose(bool disposing)
    {
        while (_pool.TryDequeue(out var source))
        {
            source.Dispose();
        }

        base.Dispose(disposing);
    }

    private ResponseTimerSource Rent()
    {
        if (_pool.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref _pooled);
            return source;
        }

        return new ResponseTimerSource(time);
    }

    private void Return(ResponseTimerSource source)
    {
        if (source.TryUnlinkAndReset())
        {
            if (Interlocked.Increment(ref _pooled) <= MaxPooled)
            {
                _pool.Enqueue(source);
                return;
            }

            Interlocked.Decrement(ref _pooled);
        }

        source.Dispose();
    }
}
