using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Meridian.Edge.Tests;

/// <summary>
/// A raw TCP origin on 127.0.0.1:0 that answers each request head with the exact bytes a script returns, so tests can
/// send what a Kestrel origin never would (odd framing, interim responses, broken bodies, idle closes). Records every
/// request head with the number of the connection it came on.
/// </summary>
/// <param name="respond">Given the request's number (from 1) and its head: the bytes to send back, and whether to close the connection after them.</param>
internal sealed class ScriptedOrigin(Func<int, string, (string Response, bool Close)> respond) : IAsyncDisposable
{
    private readonly TcpListener _listener = Listen();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private Task? _accepting;
    private int _connections;
    private int _requests;

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>
    /// Bytes to send on the connection a moment after the answer to request n (null: none), as a separate TCP segment:
    /// what a broken origin sends that no request asked for.
    /// </summary>
    public Func<int, string?>? Trailing { get; set; }

    /// <summary>Completes once trailing bytes were sent.</summary>
    public TaskCompletionSource TrailingSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>(connection number, request head) per request, in arrival order.</summary>
    public ConcurrentQueue<(int Connection, string Head)> Requests { get; } = new();

    public static ScriptedOrigin Start(Func<int, string, (string Response, bool Close)> respond)
    {
        var origin = new ScriptedOrigin(respond);
        origin._accepting = origin.AcceptAsync();
        return origin;
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _sockets.Add(socket);
            _ = ServeAsync(socket, Interlocked.Increment(ref _connections));
        }
    }

    private async Task ServeAsync(Socket socket, int connection)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        try
        {
            while (true)
            {
                int end;
                while ((end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    length += read;
                }

                var head = Encoding.Latin1.GetString(buffer, 0, end + 4);
                buffer.AsSpan(end + 4, length - end - 4).CopyTo(buffer);
                length -= end + 4;
                var number = Interlocked.Increment(ref _requests);
                Requests.Enqueue((connection, head));
                var (response, close) = respond(number, head);
                await socket.SendAsync(Encoding.Latin1.GetBytes(response), _stop.Token);
                if (Trailing?.Invoke(number) is { } trailing)
                {
                    // After the edge has read the answer, so the bytes cannot arrive in the same read.
                    await Task.Delay(50, _stop.Token);
                    await socket.SendAsync(Encoding.Latin1.GetBytes(trailing), _stop.Token);
                    TrailingSent.TrySetResult();
                }

                if (close)
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        if (_accepting is not null)
        {
            await _accepting;
        }

        _stop.Dispose();
    }
}
