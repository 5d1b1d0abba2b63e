using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Meridian.Dns.Clients;
using Microsoft.Extensions.Logging;

namespace Meridian.Dns.Server;

/// <summary>
/// DNS over TCP (RFC 1035 4.2.2, RFC 7766): two-byte length prefix, several queries per connection, idle timeout,
/// a bounded number of connections. Malformed framing closes the connection; it never affects other clients.
/// </summary>
internal sealed class TcpDnsListener : IAsyncDisposable
{
    private const int MaxConnections = 512;
    private readonly Socket _listener;
    private readonly IDnsResponder _responder;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections);
    private Task? _acceptLoop;

    public TcpDnsListener(IPEndPoint endpoint, IDnsResponder responder, TimeSpan idleTimeout, ILogger logger)
    {
        _responder = responder;
        _idleTimeout = idleTimeout;
        _logger = logger;
        _listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(endpoint);
            _listener.Listen(256);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                _slots.Release();
                _logger.LogDebug("TCP accept failed: {Error}", ex.SocketErrorCode);
                continue;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(2 + 65535);
        var response = ArrayPool<byte>.Shared.Rent(2 + 65535);
        try
        {
            client.NoDelay = true;
            var source = ClientAddress.FromIPAddress(((IPEndPoint)client.RemoteEndPoint!).Address);
            while (!_stop.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(_idleTimeout);
                if (!await ReadExactlyAsync(client, buffer.AsMemory(0, 2), idle.Token).ConfigureAwait(false))
                {
                    return;
                }

                var length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
                if (length == 0 || !await ReadExactlyAsync(client, buffer.AsMemory(2, length), idle.Token).ConfigureAwait(false))
                {
                    return;
                }

                var answered = _responder.Respond(buffer.AsSpan(2, length), response.AsSpan(2, 65535), source, overTcp: true);
                if (answered == 0)
                {
                    return;
                }

                BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)answered);
                await client.SendAsync(response.AsMemory(0, answered + 2), SocketFlags.None, idle.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Idle timeout, client gone, or shutdown: just close.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Unexpected error on a DNS TCP connection");
        }
        finally
        {
            client.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(response);
            _slots.Release();
        }
    }

    private static async ValueTask<bool> ReadExactlyAsync(Socket socket, Memory<byte> destination, CancellationToken token)
    {
        while (destination.Length > 0)
        {
            var read = await socket.ReceiveAsync(destination, SocketFlags.None, token).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            destination = destination[read..];
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
