namespace Meridian.Edge;

/// <summary>
/// Enforces the origin response timeout up to the response headers only; the body is then streamed under YARP's
/// activity timeout. A distinct exception lets the forwarder tell a timeout from a connection failure.
/// </summary>
internal sealed class ResponseTimeoutHandler(HttpMessageHandler inner, TimeSpan timeout, TimeProvider time) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timer = new ResponseTimer(timeout, time);
        request.Options.Set(ResponseTimer.Key, timer);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw new OriginResponseTimeoutException(timeout);
        }
    }
}
