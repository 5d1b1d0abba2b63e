using System.Net;
using System.Net.Sockets;

namespace Meridian.Edge;

/// <summary>
/// Opens origin connections with CloudFront's semantics: up to <c>attempts</c> tries, each limited by the
/// connection timeout. The request's response timer is paused meanwhile (see <see cref="ResponseTimer"/>).
/// </summary>
internal sealed class OriginConnector
{
    private readonly int _attempts;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _time;
    private readonly Func<DnsEndPoint, CancellationToken, ValueTask<Stream>> _connect;

    public OriginConnector(int attempts, TimeSpan attemptTimeout, TimeProvider time)
        : this(attempts, attemptTimeout, time, ConnectSocketAsync)
    {
    }

    /// <summary>With the raw connect replaced (tests count attempts without real unreachable hosts).</summary>
    internal OriginConnector(int attempts, TimeSpan attemptTimeout, TimeProvider time, Func<DnsEndPoint, CancellationToken, ValueTask<Stream>> connect)
    {
        _attempts = Math.Max(1, attempts);
        _attemptTimeout = attemptTimeout;
        _time = time;
        _connect = connect;
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        context.InitialRequestMessage.Options.TryGetValue(ResponseTimer.Key, out var timer);
        timer?.Pause();
        try
        {
            return await ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            timer?.Resume();
        }
    }

    internal async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ConnectOnceAsync(endPoint, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (attempt < _attempts && !cancellationToken.IsCancellationRequested)
            {
                // Next attempt: CloudFront retries the connection before giving up on the origin.
            }
        }
    }

    private async ValueTask<Stream> ConnectOnceAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_attemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await _connect(endPoint, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SocketException((int)SocketError.TimedOut);
        }
    }

    private static async ValueTask<Stream> ConnectSocketAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        // An origin given by address gets a socket of its own family: a dual-mode socket sends an IPv4 origin's every
        // segment through the kernel's IPv6 socket layer (inet6_recvmsg and the v4-mapped paths).
        var address = IPAddress.TryParse(endPoint.Host, out var parsed) ? parsed : null;
        var socket = address is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (address is null)
            {
                await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false);
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
