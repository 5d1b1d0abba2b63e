using System.Net;
using System.Net.Sockets;

namespace Meridian.Cli.Tests.Support;

/// <summary>
/// Ports free on 127.0.0.1 right now, for topology files run by the CLI (the loader requires a real port). Found by
/// binding port 0 and releasing it, so another process may take it before the CLI binds: callers retry then.
/// </summary>
internal static class FreePorts
{
    /// <summary>A port free for both UDP and TCP (a DNS listener binds both).</summary>
    public static int Dns()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // That number is taken for TCP: try another.
            }
        }

        throw new InvalidOperationException("no port free for both UDP and TCP on 127.0.0.1");
    }

    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
