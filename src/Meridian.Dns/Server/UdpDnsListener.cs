using System.Net;
using System.Net.Sockets;
using Meridian.Dns.Clients;
using Microsoft.Extensions.Logging;

namespace Meridian.Dns.Server;

/// <summary>
/// UDP listener on dedicated threads with blocking ReceiveFrom/SendTo into reused buffers and a reused
/// <see cref="SocketAddress"/>. Measured on this 2-core machine (docs/architecture.md): this loop answered
/// ≈178k qps where an async ReceiveFromAsync loop reached ≈128k, and it allocates nothing per packet.
/// On 64-bit Linux the threads run <see cref="LinuxUdpBatch"/> (recvmmsg/sendmmsg) instead.
/// </summary>
internal sealed class UdpDnsListener : IDisposable
{
    private const int MaxDatagram = 65535;
    private readonly Socket _socket;
    private readonly IDnsResponder _responder;
    private readonly ILogger _logger;
    private readonly Thread[] _threads;
    private volatile bool _stopping;

    public UdpDnsListener(IPEndPoint endpoint, IDnsResponder responder, int threads, ILogger logger)
    {
        _responder = responder;
        _logger = logger;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = false;
        }

        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.Bind(endpoint);
        if (LinuxUdpBatch.IsSupported)
        {
            _socket.ReceiveTimeout = 500; // the batch loop checks for shutdown at least this often
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _threads = new Thread[Math.Max(1, threads)];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Loop) { IsBackground = true, Name = $"dns-udp-{LocalEndPoint.Port}-{i}" };
        }
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start()
    {
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    private void Loop()
    {
        if (LinuxUdpBatch.IsSupported)
        {
            try
            {
                using var batch = new LinuxUdpBatch(_socket, _responder, _logger);
                batch.Run(() => _stopping);
            }
            catch (ObjectDisposedException)
            {
                // Disposed before this thread got going.
            }

            return;
        }

        var request = new byte[MaxDatagram];
        var response = new byte[MaxDatagram];
        var remote = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(request, SocketFlags.None, remote);
            }
            catch (SocketException ex) when (!_stopping && ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue; // ICMP port unreachable from an earlier reply, or an oversize datagram: not our problem
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            try
            {
                var length = _responder.Respond(request.AsSpan(0, received), response, ClientAddress.FromSocketAddress(remote), overTcp: false);
                if (length > 0)
                {
                    _socket.SendTo(response.AsSpan(0, length), SocketFlags.None, remote);
                }
            }
            catch (SocketException ex)
            {
                _logger.LogDebug("UDP send failed: {Error}", ex.SocketErrorCode);
            }
            catch (Exception ex) when (!_stopping)
            {
                // A bug in answering one packet must never take the listener down.
                _logger.LogError(ex, "Unexpected error answering a UDP query of {Length} bytes", received);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _socket.Dispose();
        foreach (var thread in _threads)
        {
            if (thread.IsAlive)
            {
                thread.Join(TimeSpan.FromSeconds(2));
            }
        }
    }
}
