using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Meridian.Edge.Http1;

/// <summary>
/// The keep-alive connections of one plain-HTTP origin for the edge's direct HTTP/1.1 path. New connections are opened
/// with the origin's <see cref="OriginConnector"/> (CloudFront's attempts × connection timeout). Idle connections are
/// used oldest first, so all of them stay warm, and one idle for longer than <see cref="IdleTimeout"/> is closed instead
/// of reused: origins close idle connections on their own schedule (nginx 75 s, Kestrel 130 s, Apache 5 s), and the
/// caller retries once on a fresh connection when a reused one turns out closed.
/// </summary>
internal sealed class Http1OriginPool : IDisposable
{
    /// <summary>As SocketsHttpHandler's pooled-connection idle timeout (the YARP path's).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Idle connections kept at most; beyond it a returned connection is closed.</summary>
    public const int MaxIdle = 1024;

    private readonly ConcurrentQueue<Http1OriginConnection> _idle = new();
    private readonly OriginConnector _connector;
    private readonly DnsEndPoint _endPoint;
    private readonly TimeProvider _time;
    private int _idleCount;
    private volatile bool _disposed;

    public Http1OriginPool(Uri origin, OriginConnector connector, TimeProvider time)
    {
        _connector = connector;
        _time = time;
        _endPoint = new DnsEndPoint(origin.IdnHost, origin.Port);
        // What HttpClient sends: the host (bracketed when IPv6) and the port unless it is the scheme's default.
        var host = origin.HostNameType == UriHostNameType.IPv6 ? $"[{origin.IdnHost}]" : origin.IdnHost;
        HostHeader = Encoding.ASCII.GetBytes(origin.IsDefaultPort ? host : $"{host}:{origin.Port}");
    }

    /// <summary>The <c>Host</c> header value for requests to this origin.</summary>
    public byte[] HostHeader { get; }

    /// <summary>An idle connection young enough to reuse, or null.</summary>
    public Http1OriginConnection? TryRent()
    {
        while (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            if (!_disposed && _time.GetElapsedTime(connection.IdleSince) < IdleTimeout)
            {
                return connection;
            }

            connection.Dispose();
        }

        return null;
    }

    /// <exception cref="System.Net.Sockets.SocketException">Every connection attempt failed or timed out.</exception>
    public async ValueTask<Http1OriginConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var stream = await _connector.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
        return new Http1OriginConnection(stream, _time);
    }

    /// <summary>Takes back a connection whose response was read to its end and whose timer is stopped.</summary>
    public void Return(Http1OriginConnection connection)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            if (!_disposed)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            connection.Dispose();
            return;
        }

        connection.Uses++;
        connection.IdleSince = _time.GetTimestamp();
        _idle.Enqueue(connection);
        if (_disposed && _idle.TryDequeue(out var late))
        {
            late.Dispose(); // raced with Dispose: do not leave a connection open in a dead pool
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }
}
