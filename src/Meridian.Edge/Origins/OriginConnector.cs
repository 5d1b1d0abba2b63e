using System.Net.Sockets;

namespace Meridian.Edge;

/// <summary>
/// Opens origin connections with CloudFront's semantics: up to <c>attempts</c> tries, each limited by the
/// connection timeout. The request's response timer is paused meanwhile (see <see cref="ResponseTimer"/>).
/// </summary>
internal sealed class OriginConnector(int attempts, TimeSpan attemptTimeout, TimeProvider time)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        context.InitialRequestMessage.Options.TryGetValue(ResponseTimer.Key, out var timer);
        timer?.Pause();
        try
        {
            var tries = Math.Max(1, attempts);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await ConnectOnceAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (attempt < tries && !cancellationToken.IsCancellationRequested)
                {
                    // Next attempt: CloudFront retries the connection before giving up on the origin.
                }
            }
        }
        finally
        {
            timer?.Resume();
        }
    }

    private async ValueTask<Stream> ConnectOnceAsync(System.Net.DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(attemptTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, linked.Token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
