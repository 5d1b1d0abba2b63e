using System.Net;
using System.Net.Sockets;

namespace Meridian.Hosting.Outage;

/// <summary>
/// A black hole: accepts TCP connections on an address and never answers, holding them until disposed. This is
/// what a region behind a dropped route looks like to a client that already has the address: every request waits
/// for its timeout. Connections are capped so a drill cannot exhaust file descriptors.
/// </summary>
internal sealed class HangListener : IDisposable
{
    private const int MaxHeld = 4096;
    private readonly Socket _listener;
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public HangListener(IPEndPoint endpoint)
    {
        _listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(endpoint);
            _listener.Listen(1024);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        _accepting = Task.Run(AcceptAsync);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                lock (_held)
                {
                    if (_held.Count >= MaxHeld)
                    {
                        socket.Dispose();
                        continue;
                    }

                    _held.Add(socket);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A client gave up mid-accept: keep holding the others.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        lock (_held)
        {
            _held.ForEach(s => s.Dispose());
            _held.Clear();
        }

        _stop.Dispose();
    }
}
