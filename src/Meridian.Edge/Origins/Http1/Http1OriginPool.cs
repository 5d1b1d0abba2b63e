using System.Net;
using System.Text;

namespace Meridian.Edge.Http1;

/// <summary>
/// The keep-alive connections of one plain-HTTP origin for the edge's direct HTTP/1.1 path. New connections are opened
/// with the origin's <see cref="OriginConnector"/> (CloudFront's attempts × connection timeout). The most recently used
/// idle connection is used first (the likeliest to be still open: origins close idle connections on their own schedule,
/// nginx 75 s, Kestrel 130 s, Apache 5 s), a sweep closes those idle for longer than <see cref="IdleTimeout"/>, and one
/// that received anything while idle (bytes no request asked for) is closed instead of reused. The caller retries once
/// on a fresh connection when a reused one turns out closed.
/// </summary>
internal sealed class Http1OriginPool : IDisposable
{
    /// <summary>As SocketsHttpHandler's pooled-connection idle timeout (the YARP path's).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Idle connections kept at most; beyond it a returned connection is closed.</summary>
    public const int MaxIdle = 1024;

    // A stack under a lock, not ConcurrentStack: that allocates a node per push, i.e. per proxied request.
    private readonly Http1OriginConnection?[] _idle = new Http1OriginConnection?[MaxIdle];
    private readonly Lock _gate = new();
    private readonly OriginConnector _connector;
    private readonly DnsEndPoint _endPoint;
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private int _idleCount;
    private int _opened;
    private bool _disposed;

    public Http1OriginPool(Uri origin, OriginConnector connector, TimeProvider time)
    {
        _connector = connector;
        _time = time;
        _endPoint = new DnsEndPoint(origin.IdnHost, origin.Port);
        // What HttpClient sends: the host (bracketed when IPv6) and the port unless it is the scheme's default.
        var host = origin.HostNameType == UriHostNameType.IPv6 ? $"[{origin.IdnHost}]" : origin.IdnHost;
        HostHeader = Encoding.ASCII.GetBytes(origin.IsDefaultPort ? host : $"{host}:{origin.Port}");
        _sweep = time.CreateTimer(static s => ((Http1OriginPool)s!).Sweep(), this, IdleTimeout / 2, IdleTimeout / 2);
    }

    /// <summary>Connections opened so far (tests: which path carried a request).</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>The <c>Host</c> header value for requests to this origin.</summary>
    public byte[] HostHeader { get; }

    /// <summary>An idle connection young enough to reuse and with nothing unasked-for received, or null.</summary>
    public Http1OriginConnection? TryRent()
    {
        while (true)
        {
            Http1OriginConnection connection;
            lock (_gate)
            {
                if (_idleCount == 0)
                {
                    return null;
                }

                connection = _idle[--_idleCount]!;
                _idle[_idleCount] = null;
            }

            // Bytes that arrived after the last response (a HEAD answered with a body, junk after a body) would otherwise
            // be read as the next viewer's response; a close means the origin is done with it.
            if (_time.GetElapsedTime(connection.IdleSince) < IdleTimeout && !connection.IdleReadCompleted)
            {
                return connection;
            }

            connection.Dispose();
        }
    }

    /// <exception cref="System.Net.Sockets.SocketException">Every connection attempt failed or timed out.</exception>
    public async ValueTask<Http1OriginConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var stream = await _connector.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _opened);
        return new Http1OriginConnection(stream, _time);
    }

    /// <summary>Takes back a connection whose response was read to its end and whose timer is stopped.</summary>
    public void Return(Http1OriginConnection connection)
    {
        connection.Uses++;
        connection.IdleSince = _time.GetTimestamp();
        if (!connection.StartIdleRead())
        {
            connection.Dispose();
            return;
        }

        lock (_gate)
        {
            if (!_disposed && _idleCount < MaxIdle)
            {
                _idle[_idleCount++] = connection;
                return;
            }
        }

        connection.Dispose();
    }

    public void Dispose()
    {
        _sweep.Dispose();
        lock (_gate)
        {
            _disposed = true;
        }

        Sweep(all: true);
    }

    /// <summary>Closes idle connections past <see cref="IdleTimeout"/> (all when disposing); the oldest are at the bottom.</summary>
    private void Sweep(bool all = false)
    {
        List<Http1OriginConnection>? expired = null;
        lock (_gate)
        {
            var keep = 0;
            while (keep < _idleCount && (all || _time.GetElapsedTime(_idle[keep]!.IdleSince) >= IdleTimeout))
            {
                (expired ??= []).Add(_idle[keep]!);
                keep++;
            }

            if (keep > 0)
            {
                Array.Copy(_idle, keep, _idle, 0, _idleCount - keep);
                Array.Clear(_idle, _idleCount - keep, keep);
                _idleCount -= keep;
            }
        }

        expired?.ForEach(c => c.Dispose());
    }
}
