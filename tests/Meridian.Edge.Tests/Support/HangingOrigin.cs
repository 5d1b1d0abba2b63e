using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Meridian.Edge.Tests;

/// <summary>
/// A raw TCP origin that accepts, reads the request head, and never answers. Counts requests by path so probes can be
/// told apart from forwarded requests.
/// </summary>
internal sealed class HangingOrigin : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;
    private int _requests;
    private int _probes;
    private int _connections;

    public HangingOrigin()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    public int Probes => Volatile.Read(ref _probes);

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // Stopping.
        }

        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            lock (_clients)
            {
                _clients.Add(client);
            }

            _ = ReadHeadAsync(client);
        }
    }

    private async Task ReadHeadAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var path = head.ToString().Split(' ')[1];
            if (path.StartsWith(TestOrigin.ProbePath, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _probes);
            }
            else
            {
                Interlocked.Increment(ref _requests);
            }

            // Then hang: keep the connection open without answering until disposed.
        }
        catch (Exception)
        {
            // Connection closed by the edge (timeout) or stopping.
        }
    }
}
